#!/usr/bin/env bash
# All cores (issue 19): `analytics ingest --output /dev/null` with --jobs 1
# and --jobs 2 side by side on the same file in the same run, the lines/s of
# each, their ratio (target: near 2 on two free cores) and the peak memory
# (target: < 200 MB, flat). That both write the same bytes is tested
# (tests/cli/check_jobs.sh).
# With --db, the same into the embedded database (bench/common.sh), which
# shares the cores: the ratio there says how much the server leaves.
#   bench/ingest_jobs.sh [--db] [COMBINED_LINES] [OTEL_RECORDS]
set -euo pipefail
with_db=0
if [ "${1:-}" = --db ]; then
    with_db=1
    shift
fi
if [ "$with_db" = 1 ]; then
    . "$(dirname "${BASH_SOURCE[0]}")/common.sh"
else
    : "${ANALYTICS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/apps/analytics}"
    [ -x "$ANALYTICS" ] || { echo "build first (./run.sh demo), or set ANALYTICS" >&2; exit 1; }
fi
. "$(dirname "${BASH_SOURCE[0]}")/make_inputs.sh"
combined_lines=${1:-1000000}
otel_records=${2:-200000}
work=$(mktemp -d /tmp/analytics-bench-jobs.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ANALYTICS_CONFIG=/dev/null

echo "generating $combined_lines combined lines and $otel_records OTel records..."
generate_lines combined "$work/combined.log" "$combined_lines"
generate_lines otel "$work/otel.jsonl" "$otel_records"
[ "$with_db" = 1 ] && "$ANALYTICS" migrate >/dev/null

# measure CMD...: prints seconds and peak RSS (KB) of CMD.
measure() {
    /usr/bin/time -o "$work/time" -f '%e %M' "$@" >/dev/null 2>/dev/null || true
    tail -1 "$work/time"
}

echo "load before: $(uptime | sed 's/.*load average/load average/')"
printf '%-18s %10s %12s %12s %8s %10s %10s\n' run lines jobs1_l/s jobs2_l/s ratio RSS1_MB RSS2_MB
for spec in "combined:$work/combined.log" "otel:$work/otel.jsonl"; do
    format=${spec%%:*}
    file=${spec#*:}
    lines=$(wc -l <"$file")
    targets=("output")
    [ "$with_db" = 1 ] && targets+=("database")
    for target in "${targets[@]}"; do
        declare -A secs=() rss=()
        for jobs in 1 2; do
            if [ "$target" = output ]; then
                read -r secs[$jobs] rss[$jobs] <<<"$(measure "$ANALYTICS" ingest \
                    --jobs "$jobs" --format "$format" --output /dev/null "$file")"
            else
                "$ANALYTICS" db psql -X -q -c "TRUNCATE analytics.access_logs, \
                    analytics.ingest_registry_files, analytics.ingest_registry" -c CHECKPOINT >/dev/null
                read -r secs[$jobs] rss[$jobs] <<<"$(measure "$ANALYTICS" ingest \
                    --progress never --jobs "$jobs" --format "$format" "$file")"
            fi
        done
        awk -v l="$format $target" -v n="$lines" -v a="${secs[1]}" -v b="${secs[2]}" \
            -v r1="${rss[1]}" -v r2="${rss[2]}" 'BEGIN {
            if (a < 0.001) a = 0.001; if (b < 0.001) b = 0.001;
            printf "%-18s %10d %12.0f %12.0f %8.2f %10.1f %10.1f\n", l, n, n / a, n / b, a / b,
                r1 / 1024, r2 / 1024 }'
    done
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo "(ratio: jobs2_l/s / jobs1_l/s, on $(nproc) cores; output: --output /dev/null)"
