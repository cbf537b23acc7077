#!/usr/bin/env bash
# Parsing speed without a database (SPEC §7): `analytics ingest --output
# /dev/null` on one core, per format, beside `cat` and `wc -l` of the same
# file as the I/O floor, with the peak memory of each run.
#   bench/ingest_parse.sh [COMBINED_LINES] [OTEL_RECORDS]
set -euo pipefail
: "${ANALYTICS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/apps/analytics}"
[ -x "$ANALYTICS" ] || { echo "build first (./run.sh demo), or set ANALYTICS" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/make_inputs.sh"
combined_lines=${1:-2000000}
otel_records=${2:-300000}
work=$(mktemp -d /tmp/analytics-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ANALYTICS_CONFIG=/dev/null

echo "generating $combined_lines combined lines and $otel_records OTel records..."
generate_lines combined "$work/combined.log" "$combined_lines"
generate_lines otel "$work/otel.jsonl" "$otel_records"

# run LABEL CMD...: prints seconds and peak RSS (MB) of CMD pinned to one core.
measure() {
    /usr/bin/time -o "$work/time" -f '%e %M' taskset -c 0 "$@" >/dev/null 2>/dev/null || true
    tail -1 "$work/time"
}

printf '%-26s %10s %12s %10s %10s %8s\n' format lines seconds lines/s MB/s RSS_MB
for spec in "combined:$work/combined.log" "otel:$work/otel.jsonl"; do
    format=${spec%%:*}
    file=${spec#*:}
    lines=$(wc -l < "$file")
    bytes=$(stat -c %s "$file")
    read -r cat_s cat_kb <<<"$(measure cat "$file")"
    read -r wc_s wc_kb <<<"$(measure wc -l "$file")"
    read -r s kb <<<"$(measure "$ANALYTICS" ingest --format "$format" --output /dev/null "$file")"
    for row in "cat:$cat_s:$cat_kb" "wc -l:$wc_s:$wc_kb" "analytics $format:$s:$kb"; do
        IFS=: read -r label secs rss <<<"$row"
        awk -v l="$label" -v n="$lines" -v b="$bytes" -v s="$secs" -v r="$rss" 'BEGIN {
            if (s < 0.001) s = 0.001;
            printf "%-26s %10d %12.2f %10.0f %10.1f %8.1f\n", l, n, s, n / s, b / s / 1e6, r / 1024 }'
    done
    awk -v a="$s" -v c="$cat_s" 'BEGIN { if (c < 0.01) c = 0.01; printf "  ratio analytics/cat: %.1f\n", a / c }'
done

# Memory must not grow with the input: the same run on 4 times the lines.
cat "$work/combined.log" "$work/combined.log" "$work/combined.log" "$work/combined.log" \
    > "$work/combined4.log"
read -r s1 kb1 <<<"$(measure "$ANALYTICS" ingest --format combined --output /dev/null "$work/combined.log")"
read -r s4 kb4 <<<"$(measure "$ANALYTICS" ingest --format combined --output /dev/null "$work/combined4.log")"
awk -v a="$kb1" -v b="$kb4" -v n="$combined_lines" 'BEGIN {
    printf "peak RSS: %d lines %.1f MB, %d lines %.1f MB (ratio %.2f)\n", n, a / 1024, 4 * n, b / 1024, b / a }'
