#!/usr/bin/env bash
# Crash safety of ingest (SPEC §8 fault tests): kill -9 at several moments,
# and the database stopped mid-run; each time a re-run leaves the tables
# exactly as one uninterrupted run does, row for row. INGEST_JOBS (default
# 1) is ingest's --jobs: with several workers, positions still commit in order.
# The reference loads on one connection, the runs killed on the default two.
. "$(dirname "$0")/lib.sh"
jobs=${INGEST_JOBS:-1}
expect_status 0 "$ANALYTICS" migrate
printf 'database:\n  schema: ref\nperformance:\n  load_connections: 1\n' > "$WORK/ref.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" migrate

# Identical lines spread over the file exercise the occurrence numbering
# across resumed runs.
make_combined "$WORK/base.log" 150000
awk 'NR % 1000 == 0 { print; print } { print }' "$WORK/base.log" > "$WORK/access.log"
gzip -k "$WORK/access.log"
input="$WORK/access.log.gz"
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" ingest --jobs 1 --progress always --format combined "$input"
grep -q 'lines/s' "$WORK/err" || fail "no progress bar with --progress always"
reference=$(table_digest access_logs ref)

reset() {
    sql "TRUNCATE access_logs, ingest_registry, ingest_registry_files, ingest_rejects" >/dev/null
}

# kill -9 at points of the run chosen by what is committed, not by delays
# (the whole run takes about a second here, so fixed delays mostly came
# after its end): before any row is committed, then once a first batch, a
# third and two thirds of the rows are in; then a re-run to the end.
total=${reference%% *}
wait_for_rows() { # PID ROWS: until ROWS rows are committed or PID ends
    for _ in $(seq 1000); do
        kill -0 "$1" 2>/dev/null || return 0
        [ "$(sql "SELECT count(*) >= $2 FROM access_logs")" = t ] && return 0
        sleep 0.01
    done
}
for stage in start 1 $((total / 3)) $((total * 2 / 3)); do
    reset
    "$ANALYTICS" ingest --jobs "$jobs" --format combined --batch-size 2000 "$input" >/dev/null 2>&1 &
    pid=$!
    if [ "$stage" = start ]; then sleep 0.05; else wait_for_rows "$pid" "$stage"; fi
    kill -0 "$pid" 2>/dev/null || fail "ingest ended before the kill -9 at $stage rows"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    partial=$(sql "SELECT count(*) FROM access_logs")
    [ "$partial" -lt "$total" ] || fail "kill -9 at $stage rows came after every row was stored"
    echo "kill -9 with $partial of $total rows committed"
    expect_status 0 "$ANALYTICS" ingest --jobs "$jobs" --format combined --batch-size 2000 "$input"
    expect_eq "$(table_digest access_logs analytics)" "$reference" "kill -9 at $stage rows ($partial rows then)"
    # And nothing is loaded by a third run.
    expect_status 0 "$ANALYTICS" --json ingest --jobs "$jobs" --format combined "$input"
    grep -q '"stored":0,' "$WORK/out" || fail "third run after the kill at $stage rows stored rows"
done

# The database stops mid-run: exit 69 with a clear message, then a re-run
# completes exactly.
reset
"$ANALYTICS" ingest --jobs "$jobs" --format combined --batch-size 2000 "$input" >"$WORK/stopped.out" 2>"$WORK/stopped.err" &
pid=$!
# Mid-run: once a first batch is committed, while the run still reads (the
# whole run takes under 2 s here, so a fixed delay raced with its end).
wait_for_rows "$pid" 1
kill -0 "$pid" 2>/dev/null || fail "ingest ended before the database could be stopped mid-run"
"$ANALYTICS" db stop >/dev/null
set +e; wait "$pid"; status=$?; set -e
expect_eq "$status" "69" "exit status when the database stops ($(cat "$WORK/stopped.err"))"
grep -Eq "database|connection" "$WORK/stopped.err" || fail "no clear message: $(cat "$WORK/stopped.err")"
expect_status 0 "$ANALYTICS" db start
expect_status 0 "$ANALYTICS" ingest --jobs "$jobs" --format combined --batch-size 2000 "$input"
expect_eq "$(table_digest access_logs analytics)" "$reference" "re-run after the database stopped"
echo "ok"
