#!/bin/sh
# A long fuzzing run of every parser family (the test command runs 15 s each):
#   bench/fuzz.sh MINUTES [PARALLEL]
# Builds the libFuzzer targets (tests/fuzz/run.sh builds them the same way),
# runs each for MINUTES, PARALLEL at a time (default 1), starting from the
# seed corpora of tests/fuzz/corpus, and prints per target: executions,
# executions per second, coverage, corpus size and findings (crashes, leaks,
# timeouts, out-of-memory), then a total. Findings are kept in
# build-fuzz/crashes/<target>/; any finding makes the script exit 1.
set -eu
minutes=${1:?usage: bench/fuzz.sh MINUTES [PARALLEL]}
parallel=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
targets="text json events fields"
ANALYTICS_FUZZ_BUILD_ONLY=1 "$root/tests/fuzz/run.sh" 0 >/dev/null
seconds=$((minutes * 60))
run_target() {
    t=$1
    mkdir -p "$build/crashes/$t" "$build/corpus/$t"
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/crashes/$t/" \
        "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$build/bench_$t.log" 2>&1 || true
}
running=0
for t in $targets; do
    run_target "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait
        running=0
    fi
done
wait
status=0
total_runs=0
printf '%-8s %14s %10s %8s %8s %s\n' target executions exec/s cov corpus findings
for t in $targets; do
    log=$build/bench_$t.log
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(ls "$build/corpus/$t" | wc -l)
    findings=$(ls "$build/crashes/$t" | wc -l)
    [ "$findings" -eq 0 ] || status=1
    total_runs=$((total_runs + ${runs:-0}))
    printf '%-8s %14s %10s %8s %8s %s\n' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "$corpus" "$findings"
done
echo "total: $total_runs executions in $minutes min per target; findings in $build/crashes/"
exit $status
