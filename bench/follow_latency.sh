#!/usr/bin/env bash
# Latency of a live log (issue 16): the time from a line appended to a
# followed file (ingest --follow), or written into a pipe (ingest -), to its
# row being visible in access_logs. One line at a time, SAMPLES times each;
# prints the median and the maximum, and the median time of one visibility
# check (a psql query, run in a loop), which the figures include.
# usage: bench/follow_latency.sh [SAMPLES] [COMMIT_INTERVAL]
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/make_inputs.sh"
samples=${1:-20}
interval=${2:-5}
work=$(mktemp -d /tmp/analytics-bench-follow.XXXXXX)
trap '"$ANALYTICS" db stop >/dev/null 2>&1 || true; rm -rf "$ANALYTICS_HOME" "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
"$ANALYTICS" migrate >/dev/null
make_combined "$work/lines" $(( samples * 2 ))

rows() { "$ANALYTICS" db psql -X -At -c "SELECT count(*) FROM access_logs"; }

# measure WRITE_TARGET FIRST_LINE: appends lines FIRST_LINE.. one by one,
# each once the previous is visible; prints the latencies in ms, sorted.
measure() {
    local target=$1 first=$2 i t0 t1 expected
    for i in $(seq 0 $(( samples - 1 ))); do
        expected=$(( first + i ))
        t0=$(now_ns)
        sed -n "${expected}p" "$work/lines" >&"$target"
        until [ "$(rows)" -ge "$expected" ]; do sleep 0.02; done
        t1=$(now_ns)
        echo $(( (t1 - t0) / 1000000 ))
    done | sort -n
}

check_cost() {
    local i t0
    for i in $(seq 1 10); do
        t0=$(now_ns); rows >/dev/null; echo $(( ($(now_ns) - t0) / 1000000 ))
    done | sort -n | awk '{ v[NR] = $1 } END { printf "%d ms", v[5] }'
}

summary() { awk '{ v[NR] = $1 } END { printf "median %d ms, max %d ms (%d lines)\n", v[int((NR + 1) / 2)], v[NR], NR }'; }

: > "$work/access.log"
"$ANALYTICS" ingest --follow --format combined --commit-interval "$interval" "$work/access.log" \
    >/dev/null 2>"$work/follow.err" &
follower=$!
sleep 1
echo "one visibility check: $(check_cost)"
exec 3>>"$work/access.log"
echo "ingest --follow, --commit-interval $interval: $(measure 3 1 | summary)"
exec 3>&-
kill -TERM "$follower"; wait "$follower"

mkfifo "$work/pipe"
"$ANALYTICS" ingest --format combined --commit-interval "$interval" - <"$work/pipe" \
    >/dev/null 2>"$work/pipe.err" &
reader=$!
exec 4>"$work/pipe"
echo "ingest - (a pipe), --commit-interval $interval: $(measure 4 $(( samples + 1 )) | summary)"
exec 4>&-
wait "$reader"
