#!/usr/bin/env bash
# Hostile input without a database (issue 15): time linear in the number of
# query parameters, memory bounded by clamps and not by line length, secrets
# removed from every place a line carries them, outputs that never replace
# what PATH names.
# usage: check_hostile_input.sh ANALYTICS
. "$(dirname "$0")/lib.sh"
analytics=$1
export ANALYTICS_NOW=2026-03-02T00:00:00Z

# Runs a command (its output discarded); prints its peak RSS in MB.
peak_rss_mb() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
}

line() { # line TARGET [REFERRER]
    printf '1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] "GET %s HTTP/1.1" 200 5 "%s" "curl/8"\n' "$1" "${2:--}"
}

# 200,000 distinct parameters on one line: 242 s before (quadratic); the
# test's timeout bounds it now. The first 256 are kept, with a warning.
python3 -c '
import sys
q = "&".join("k%d=v" % i for i in range(200000))
sys.stdout.write("1.2.3.4 - - [01/Mar/2026:10:00:00 +0000] \"GET /geoserver/wms?%s HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n" % q)
' >"$tmp/params.log"
"$analytics" ingest --format combined "$tmp/params.log" --output "$tmp/params.jsonl" --json \
    >"$tmp/params.json" 2>"$tmp/params.err" || report "200k parameters: exit $?: $(cat "$tmp/params.err")"
python3 - "$tmp/params.jsonl" "$tmp/params.json" <<'PY' || report "200k parameters: wrong record or summary"
import json, sys
record = json.loads(open(sys.argv[1]).readline())
summary = json.loads(open(sys.argv[2]).read())
details = record["request_details"]
assert "k0" in details and "k255" in details and "k256" not in details, sorted(details)[:5]
assert len(record["request_query_string"]) == 8000, len(record["request_query_string"])
warnings = summary["warnings"]
assert any("beyond the first 256" in w for w in warnings), warnings
assert any("request_query_string cut to 8000" in w for w in warnings), warnings
PY

# Twelve lines with a 10 MB query string each: memory stays bounded.
python3 -c '
import sys
v = "a" * 10_000_000
for i in range(12):
    sys.stdout.write("1.2.3.4 - - [01/Mar/2026:10:00:%02d +0000] \"GET /api/x?q=%s&i=%d HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n" % (i, v, i))
' >"$tmp/long.log"
rss=$(peak_rss_mb "$analytics" ingest --format combined "$tmp/long.log" --output "$tmp/long.jsonl")
[ "$rss" -lt 200 ] || report "12 lines of 10 MB: peak RSS ${rss} MB, over 200 MB"
[ "$(wc -l <"$tmp/long.jsonl")" -eq 12 ] || report "12 lines of 10 MB: not 12 records"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$tmp/long.jsonl")
[ "$longest" -lt 40000 ] || report "a record of ${longest} bytes was written: values not clamped"
rm -f "$tmp/long.log" "$tmp/long.jsonl"

# Secrets: new names, percent-encoded names, the referrer, the rejects file.
{
    line '/geoserver/wms?service=WMS&x-api-key=SECRET1&id_token=SECRET2&refresh_token=SECRET3&sig=SECRET4&signature=SECRET5&session=SECRET6&api_key%00=SECRET7' \
         'https://portal.example.org/map?token=SECRETR1&api_key=SECRETR2&x=1'
} >"$tmp/secrets.log"
"$analytics" ingest --format combined "$tmp/secrets.log" --output "$tmp/secrets.jsonl" \
    >/dev/null 2>&1 || report "secrets: ingest failed"
grep -q -i 'secret' "$tmp/secrets.jsonl" && report "secrets survived: $(grep -o -i '[a-z_%0-9-]*=secret[a-z0-9]*' "$tmp/secrets.jsonl" | sort -u | tr '\n' ' ')"
grep -q '"referrer":"https://portal.example.org/map?x=1"' "$tmp/secrets.jsonl" ||
    report "referrer not stored without its secrets: $(grep -o '"referrer":"[^"]*"' "$tmp/secrets.jsonl")"

# Events: the reject ratio is a share of lines, not of rows (10 unreadable
# lines of 300 read as 0.28% of rows before: exit 0).
"$analytics" generate --format events --from 2026-03-01 --to 2026-03-02 --rate 400 --seed 4 \
    -o "$tmp/events.full" >/dev/null 2>&1
{ head -n 290 "$tmp/events.full"; for i in $(seq 10); do echo '{"searches": [unreadable'; done; } >"$tmp/events.jsonl"
"$analytics" ingest --format events "$tmp/events.jsonl" --output /dev/null --json >"$tmp/events.json" 2>/dev/null
status=$?
[ "$status" -eq 65 ] || report "events: 10 bad lines of 300 exited $status, expected 65"
grep -q '"reject_ratio":0.033333' "$tmp/events.json" || report "events: reject ratio not per line: $(cat "$tmp/events.json")"

# Outputs: "-" is stdout; a device or FIFO is written in place; a link is
# followed (its target replaced, the link kept); a directory is refused.
gen() { "$analytics" generate --format combined --from 2026-03-01 --to 2026-03-01T01:00:00Z --rate 20 --seed 3 "$@"; }
gen -o - >"$tmp/stdout.log" 2>/dev/null || report "generate -o - failed"
[ -s "$tmp/stdout.log" ] || report "generate -o - wrote nothing to stdout"
[ -e ./- ] && report "generate -o - created a file named -"
gen -o /dev/null >/dev/null 2>&1 || report "generate -o /dev/null failed"
[ -c /dev/null ] || report "/dev/null is no longer a character device"
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
gen -o "$tmp/fifo" >/dev/null 2>&1 || report "generate -o FIFO failed"
wait "$reader"
[ -p "$tmp/fifo" ] || report "the FIFO was replaced"
cmp -s "$tmp/from-fifo" "$tmp/stdout.log" || report "the FIFO's reader did not get the log"
echo old >"$tmp/target.log"
ln -s target.log "$tmp/link.log"
gen -o "$tmp/link.log" >/dev/null 2>&1 || report "generate -o LINK failed"
[ -L "$tmp/link.log" ] || report "the symbolic link was replaced by a file"
cmp -s "$tmp/target.log" "$tmp/stdout.log" || report "the link's target was not replaced"
mkdir "$tmp/dir"
gen -o "$tmp/dir" >/dev/null 2>"$tmp/dir.err" && report "generate -o DIRECTORY succeeded"
grep -q "Is a directory" "$tmp/dir.err" || report "generate -o DIRECTORY: $(cat "$tmp/dir.err")"
ln -s nowhere "$tmp/dangling"
gen -o "$tmp/dangling" >/dev/null 2>"$tmp/dangling.err" && report "generate -o DANGLING LINK succeeded"
# --metrics-file goes through the same rules.
"$analytics" ingest --format combined "$tmp/secrets.log" --output /dev/null \
    --metrics-file /dev/null >/dev/null 2>&1 || report "--metrics-file /dev/null failed"
[ -c /dev/null ] || report "--metrics-file replaced /dev/null"
"$analytics" ingest --format combined "$tmp/secrets.log" --output /dev/null \
    --metrics-file - >"$tmp/metrics.out" 2>/dev/null || report "--metrics-file - failed"
grep -q '^analytics_' "$tmp/metrics.out" || report "--metrics-file - did not write the metrics to stdout"

# ANALYTICS_HOME: a regular file is "not a directory" (78, it said "chmod
# o+x"); one this user cannot write is 77 (it was 70, "internal error").
line /a >"$tmp/one.log"
touch "$tmp/home-file"
ANALYTICS_HOME=$tmp/home-file "$analytics" ingest "$tmp/one.log" >/dev/null 2>"$tmp/home.err"
status=$?
[ "$status" -eq 78 ] || report "a regular file as ANALYTICS_HOME exited $status, expected 78"
grep -q "is not a directory" "$tmp/home.err" || report "home a regular file: $(cat "$tmp/home.err")"
mkdir -p "$tmp/locked/home" && chmod 755 "$tmp" "$tmp/locked" && chmod 555 "$tmp/locked/home"
chmod 644 "$tmp/one.log"
as_user=()
[ "$(id -u)" -eq 0 ] && as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
for home in "$tmp/locked/home" "$tmp/locked/home/sub"; do
    "${as_user[@]+"${as_user[@]}"}" env ANALYTICS_HOME="$home" "$analytics" ingest "$tmp/one.log" \
        >/dev/null 2>"$tmp/home.err"
    status=$?
    [ "$status" -eq 77 ] || report "unwritable ANALYTICS_HOME $home exited $status, expected 77: $(cat "$tmp/home.err")"
done

exit $fail
