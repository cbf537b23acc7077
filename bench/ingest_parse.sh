#!/usr/bin/env bash
# Parsing speed without a database (SPEC §7): `analytics ingest --jobs 1
# --output /dev/null` pinned to one core (one thread: the per-core figure;
# bench/ingest_jobs.sh measures --jobs), per format, beside `cat` and `wc -l` of the same
# file as the I/O floor, with the peak memory of each run. When GoAccess is
# installed (optional: Debian's goaccess), it parses the combined file in the
# same run (`--process-and-exit`), and the ratio is printed. BASELINE=path of
# another analytics binary (an older build) runs it on the same files too.
#   bench/ingest_parse.sh [COMBINED_LINES] [OTEL_RECORDS]
. "$(dirname "${BASH_SOURCE[0]}")/no_database.sh"
combined_lines=${1:-2000000}
otel_records=${2:-300000}

echo "generating $combined_lines combined lines and $otel_records OTel records..."
generate_lines combined "$work/combined.log" "$combined_lines"
generate_lines otel "$work/otel.jsonl" "$otel_records"

# measure CMD...: prints the elapsed seconds, the peak RSS (kB) and the CPU
# seconds (user + system) of CMD pinned to one core. On a loaded machine the
# CPU seconds are the steadier measure of the two.
measure() {
    /usr/bin/time -o "$work/time" -f '%e %M %U %S' taskset -c 0 "$@" >/dev/null 2>/dev/null || true
    tail -1 "$work/time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

printf '%-26s %10s %12s %10s %10s %8s %8s %10s\n' format lines seconds lines/s MB/s RSS_MB cpu_s lines/cpu_s
for spec in "combined:$work/combined.log" "otel:$work/otel.jsonl"; do
    format=${spec%%:*}
    file=${spec#*:}
    lines=$(wc -l < "$file")
    bytes=$(stat -c %s "$file")
    read -r cat_s cat_kb cat_cpu <<<"$(measure cat "$file")"
    read -r wc_s wc_kb wc_cpu <<<"$(measure wc -l "$file")"
    read -r s kb cpu <<<"$(measure "$ANALYTICS" ingest --format "$format" --jobs 1 --output /dev/null "$file")"
    rows=("cat:$cat_s:$cat_kb:$cat_cpu" "wc -l:$wc_s:$wc_kb:$wc_cpu" "analytics $format:$s:$kb:$cpu")
    if [ -n "${BASELINE:-}" ]; then
        read -r base_s base_kb base_cpu <<<"$(measure "$BASELINE" ingest --format "$format" --jobs 1 --output /dev/null "$file")"
        rows+=("baseline $format:$base_s:$base_kb:$base_cpu")
    fi
    goaccess_s=
    if [ "$format" = combined ] && command -v goaccess >/dev/null; then
        read -r goaccess_s goaccess_kb goaccess_cpu <<<"$(measure goaccess --no-global-config --no-progress \
            --log-format=COMBINED --process-and-exit "$file")"
        rows+=("goaccess $format:$goaccess_s:$goaccess_kb:$goaccess_cpu")
    fi
    for row in "${rows[@]}"; do
        IFS=: read -r label secs rss cpu_s <<<"$row"
        awk -v l="$label" -v n="$lines" -v b="$bytes" -v s="$secs" -v r="$rss" -v c="$cpu_s" 'BEGIN {
            if (s < 0.001) s = 0.001;
            printf "%-26s %10d %12.2f %10.0f %10.1f %8.1f %8.2f %10.0f\n", l, n, s, n / s, b / s / 1e6, r / 1024,
                c, n / (c < 0.01 ? 0.01 : c) }'
    done
    awk -v a="$s" -v c="$cat_s" 'BEGIN { if (c < 0.01) c = 0.01; printf "  ratio analytics/cat: %.1f\n", a / c }'
    if [ -n "${BASELINE:-}" ]; then
        awk -v a="$s" -v b="$base_s" -v ac="$cpu" -v bc="$base_cpu" 'BEGIN { if (a < 0.01) a = 0.01; if (ac < 0.01) ac = 0.01
            printf "  ratio baseline/analytics: %.2f elapsed, %.2f CPU\n", b / a, bc / ac }'
    fi
    if [ -n "$goaccess_s" ]; then
        awk -v a="$s" -v g="$goaccess_s" -v ac="$cpu" -v gc="$goaccess_cpu" 'BEGIN { if (a < 0.01) a = 0.01; if (ac < 0.01) ac = 0.01
            printf "  ratio goaccess/analytics: %.2f elapsed, %.2f CPU\n", g / a, gc / ac }'
    fi
done

# Memory must not grow with the input: the same run on 4 times the lines.
cat "$work/combined.log" "$work/combined.log" "$work/combined.log" "$work/combined.log" \
    > "$work/combined4.log"
read -r s1 kb1 _ <<<"$(measure "$ANALYTICS" ingest --format combined --output /dev/null "$work/combined.log")"
read -r s4 kb4 _ <<<"$(measure "$ANALYTICS" ingest --format combined --output /dev/null "$work/combined4.log")"
awk -v a="$kb1" -v b="$kb4" -v n="$combined_lines" 'BEGIN {
    printf "peak RSS: %d lines %.1f MB, %d lines %.1f MB (ratio %.2f)\n", n, a / 1024, 4 * n, b / 1024, b / a }'
