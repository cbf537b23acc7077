#!/usr/bin/env bash
# The benchmark scripts of bench/ still run: each, on tiny inputs, exits 0 and
# prints its ratio or rate lines. Two had stopped working unnoticed (a
# migration that needs a table the baseline never made, a retention round
# that a month dropped by the round before blocked). Times are not checked:
# the figures are read by people (README, bench/README.md), never by tests.
. "$(dirname "$0")/lib.sh" # each script starts a cluster of its own
export ANALYTICS
bench=$(cd "$(dirname "$0")/../../bench" && pwd)

# run NAME EXPECTED_PATTERN COMMAND...: COMMAND exits 0 and prints a line
# matching EXPECTED_PATTERN (grep -E).
run() {
    local name=$1 pattern=$2
    shift 2
    if ! "$@" >"$WORK/$name" 2>&1; then
        cat "$WORK/$name" >&2
        fail "$name: exit status not 0"
    fi
    grep -Eq "$pattern" "$WORK/$name" || { cat "$WORK/$name" >&2; fail "$name: no line matching $pattern"; }
    echo "ok: $name"
}

run migrate '^ratio migrate / psql: +[0-9.]+$' "$bench/migrate.sh" 1
run ingest_parse '^analytics otel +500 ' "$bench/ingest_parse.sh" 2000 500
run ingest_jobs '^otel output +500 +[0-9]+ +[0-9]+ +[0-9.]+' "$bench/ingest_jobs.sh" 2000 500
run ingest_load '^otel +500 +[0-9.]+ +[0-9.]+ +[0-9.]+' "$bench/ingest_load.sh" 2000 500 1
run ingest_instructions '^otel +500 +[0-9]+ +[0-9]+ +[0-9.]+ +[0-9]+ ' env BASELINE="$ANALYTICS" \
    "$bench/ingest_instructions.sh" 2000 500
# The DOM parser rejects the 9 malformed records; On-Demand reading selectively none.
run json_ondemand '^fallback +dom +[0-9]+ +[0-9]+ +1\.00 .* 9 of 9$' "$bench/json_ondemand.sh" 500
grep -Eq '^fallback +selective .* 0 of 9$' "$WORK/json_ondemand" ||
    fail "json_ondemand: the selective mode rejected a malformed record"
# Two retention rounds: the second must find its month again.
run rollup '^drop a month of 2000 rows \(t\) ' env DROP_ROWS="1000 2000" OTHER_MONTH_ROWS=100 \
    "$bench/rollup.sh" 2000
grep -Eq '^one day of 2000 rows, 12 months +[0-9.]+ +[0-9.]+ +[0-9.]+$' "$WORK/rollup" ||
    fail "rollup: no ratio for 12 months"
run follow_latency 'median' "$bench/follow_latency.sh" 2 0.2
echo "PASS"
