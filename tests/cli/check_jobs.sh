#!/usr/bin/env bash
# ingest --jobs (issue 19): the records, rejects and summary of every input
# format, of stdin and of several inputs in one run are byte for byte the same
# with 1, 2 and 3 workers; a live pipe's lines come out without waiting for a
# chunk of lines to fill.
# usage: check_jobs.sh ANALYTICS DATA_DIR
. "$(dirname "$0")/lib.sh"
analytics=$(readlink -f "$1")
data=$2
export ANALYTICS_NOW=2026-11-22T12:00:00Z

# Generated inputs of every format, thousands of lines (many chunks) each.
formats=(combined common georchestra regex otel otlp api-json events)
for format in "${formats[@]}"; do
    "$analytics" generate --format "$format" --from 2026-11-20 --to 2026-11-21 --rate 120 \
        --seed 7 -o "$tmp/gen.$format" >/dev/null || report "generate $format failed"
done
# Every kind of reject and warning among them: identical lines (numbered in
# order), invalid UTF-8, a NUL byte, blank and unparsable lines, a line
# outside the accepted window, too long a line.
awk 'NR % 37 == 0 { print; print } NR % 400 == 0 {
        print "garbage"; print ""; printf "1.2.3.4 - - [01/Jan/1990:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"\n"
     } { print }' "$tmp/gen.combined" > "$tmp/mixed.log"
printf '1.2.3.4 - - [20/Nov/2026:10:00:00 +0000] "GET /\xff\xfe HTTP/1.1" 200 5 "-" "curl/8"\n' >> "$tmp/mixed.log"
printf '1.2.3.4 - - [20/Nov/2026:10:00:00 +0000] "GET /\0 HTTP/1.1" 200 5 "-" "curl/8"\n' >> "$tmp/mixed.log"
tail -n 2000 "$tmp/gen.combined" >> "$tmp/mixed.log"
{ cat "$tmp/mixed.log"; head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' a; printf '\n'
  tail -n 700 "$tmp/gen.combined"; } > "$tmp/long.log"

# run NAME JOBS ARGS...: ingest ARGS with --jobs JOBS into $tmp/NAME.JOBS.*
# (stdin from $stdin)
run() {
    local name=$1 jobs=$2
    shift 2
    "$analytics" --json "$@" --jobs "$jobs" --output "$tmp/$name.$jobs.jsonl" \
        --rejects "$tmp/$name.$jobs.rejects" <"${stdin:-/dev/null}" >"$tmp/$name.$jobs.summary" \
        2>"$tmp/$name.$jobs.stderr"
    echo "rc=$?" >>"$tmp/$name.$jobs.summary"
    sed -i -E 's/"seconds":[0-9.e+-]+/"seconds":X/' "$tmp/$name.$jobs.summary"
}

# same NAME ARGS...: jobs 2 (and 3 with $three) give what jobs 1 gives,
# which is something.
same() {
    local name=$1 jobs
    shift
    for jobs in 1 2 ${three:+3}; do
        run "$name" "$jobs" "$@"
    done
    grep -Eq '^rc=(0|65)$' "$tmp/$name.1.summary" ||
        report "$name: ingest failed: $(tail -c 300 "$tmp/$name.1.stderr")"
    [ -s "$tmp/$name.1.jsonl" ] || report "$name: no records"
    for jobs in 2 ${three:+3}; do
        for part in jsonl rejects summary; do
            cmp -s "$tmp/$name.1.$part" "$tmp/$name.$jobs.$part" ||
                report "$name: --jobs $jobs gives another $part than --jobs 1"
        done
    done
}

for format in "${formats[@]}"; do
    as=(--format "$format")
    same "gen-$format" ingest "${as[@]}" "$tmp/gen.$format"
done
three=1 same mixed ingest --format combined "$tmp/mixed.log"
same long-line ingest --format combined "$tmp/long.log"
grep -q 'line longer than 16 MiB' "$tmp/long-line.1.rejects" || report "long-line: not rejected"
grep -q '"rejected":0' "$tmp/mixed.1.summary" && report "mixed: nothing rejected"
same mixed-extra ingest -e server_address=geo.example.org "$tmp/mixed.log"
same several ingest "$tmp/gen.combined" "$tmp/gen.otel" "$tmp/gen.events" "$tmp/mixed.log"
stdin=$tmp/mixed.log same stdin ingest -
# The samples of the golden tests, with their configurations.
cd "$data" || exit 2
for sample in combined.log common.log georchestra.log otel.jsonl otlp.json api.jsonl events.jsonl; do
    same "sample-$sample" --config config.yaml ingest "$sample"
done
same sample-regex --config regex-config.yaml ingest --format regex regex.log

# A live pipe: a line is written out while the pipe stays open (the pause
# hands over the lines read), not once a chunk of lines or the end came.
mkfifo "$tmp/pipe"
"$analytics" ingest --jobs 2 --format combined --output "$tmp/live.jsonl" - <"$tmp/pipe" >/dev/null 2>&1 &
pid=$!
exec 3>"$tmp/pipe"
head -n 1 "$tmp/gen.combined" >&3
for _ in $(seq 50); do
    [ -s "$tmp/live.jsonl" ] && break
    sleep 0.1
done
[ "$(wc -l <"$tmp/live.jsonl")" = 1 ] || report "a live pipe's line waited for more (--jobs 2)"
exec 3>&-
wait "$pid" || report "ingest of a live pipe failed"

exit $fail
