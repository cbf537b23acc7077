#!/usr/bin/env bash
# Instructions of `analytics ingest --jobs 1 --output /dev/null`, counted by
# valgrind (cachegrind without its cache simulation): the same count run
# after run, where this VM's timings vary by ±15%. Inputs: generated combined
# lines, `make_combined` lines (four in five OGC requests) and generated OTel
# records. Each is also counted on its first tenth, so that the difference
# gives the instructions of a record without the start-up (user agents first
# met after the first tenth still compile their uap-core rules in the
# difference: on small inputs that dominates). BASELINE=path of
# another analytics build counts the same files, and the ratio is printed.
# Needs valgrind (Debian's valgrind).
#   bench/ingest_instructions.sh [COMBINED_LINES] [OTEL_RECORDS]
. "$(dirname "${BASH_SOURCE[0]}")/no_database.sh"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
combined_lines=${1:-200000}
otel_records=${2:-30000}

echo "generating $combined_lines combined lines (twice) and $otel_records OTel records..."
generate_lines combined "$work/combined.log" "$combined_lines"
make_combined "$work/make_combined.log" "$combined_lines"
generate_lines otel "$work/otel.jsonl" "$otel_records"

# ingest_instructions BINARY FORMAT FILE: the instructions of one run.
ingest_instructions() {
    instructions "$1" ingest --format "$2" --jobs 1 --output /dev/null "$3"
}

printf '%-14s %8s %14s %14s %7s %10s %10s %7s\n' input records instructions baseline ratio per_record baseline ratio
for spec in "combined:combined:$work/combined.log" "make_combined:combined:$work/make_combined.log" \
    "otel:otel:$work/otel.jsonl"; do
    IFS=: read -r label format file <<<"$spec"
    records=$(wc -l < "$file")
    tenth=$((records / 10))
    head -n "$tenth" "$file" > "$work/tenth"
    read -r all part <<<"$(ingest_instructions "$ANALYTICS" "$format" "$file") $(ingest_instructions "$ANALYTICS" "$format" "$work/tenth")"
    base_all=0 base_part=0
    if [ -n "${BASELINE:-}" ]; then
        read -r base_all base_part <<<"$(ingest_instructions "$BASELINE" "$format" "$file") $(ingest_instructions "$BASELINE" "$format" "$work/tenth")"
    fi
    awk -v l="$label" -v n="$records" -v t="$tenth" -v a="$all" -v p="$part" -v ba="$base_all" -v bp="$base_part" 'BEGIN {
        per = (a - p) / (n - t)
        b = "-"; r = "-"; bper = "-"; rper = "-"
        if (ba > 0) {
            b = sprintf("%.0f", ba); r = sprintf("%.3f", a / ba)
            bper = sprintf("%.0f", (ba - bp) / (n - t)); rper = sprintf("%.3f", per / ((ba - bp) / (n - t)))
        }
        printf "%-14s %8d %14.0f %14s %7s %10.0f %10s %7s\n", l, n, a, b, r, per, bper, rper }'
done
echo "(instructions: a whole run, start-up included; per_record: without it, from the run on the first tenth)"
