#!/usr/bin/env bash
# Would simdjson's On-Demand API read OTel records for fewer instructions
# than the DOM parser otel.cpp uses (issue 19)? Builds bench/json_ondemand.cpp
# against Debian's simdjson (whose On-Demand code is the fallback kernel; the
# DOM parser and On-Demand's stage 1 dispatch at run time), and, when this
# CPU has AVX2, a second time with -mavx2 (On-Demand's Haswell kernel), then
# counts each mode's instructions with valgrind on generated OTel records and
# prints them per record beside the DOM's, with the best CPU time of three
# runs pinned to one core. It also runs each mode on records
# made malformed in members the OTel reader does not read: On-Demand rejects
# them only when it visits every value. Needs g++ and valgrind.
#   bench/json_ondemand.sh [OTEL_RECORDS]
. "$(dirname "${BASH_SOURCE[0]}")/no_database.sh"
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
records=${1:-200000}
source_file="$(dirname "${BASH_SOURCE[0]}")/json_ondemand.cpp"

echo "generating $records OTel records..."
generate_lines otel "$work/otel.jsonl" "$records"
# Three records, each broken three ways outside what otel.cpp reads.
head -n 3 "$work/otel.jsonl" > "$work/three.jsonl"
{
    sed 's/"flags":0/"flags":tru/' "$work/three.jsonl"
    sed 's/"severity_number":9/"severity_number":9x/' "$work/three.jsonl"
    sed 's/"resources":{/"resources":{"broken":[1},/' "$work/three.jsonl"
} > "$work/malformed.jsonl"

builds=("fallback:")
grep -qw avx2 /proc/cpuinfo && builds+=("avx2:-mavx2 -mbmi -mpclmul -mlzcnt")
for build in "${builds[@]}"; do
    # shellcheck disable=SC2086 # the flags are words
    g++ -O2 -std=c++17 ${build#*:} "$source_file" -o "$work/json_${build%%:*}" -lsimdjson
done

# seconds MODE BUILD: the best CPU seconds (user + system) of three runs.
seconds() {
    for _ in 1 2 3; do
        /usr/bin/time -f '%U %S' -o "$work/time" taskset -c 0 "$work/json_$2" "$1" "$work/otel.jsonl" >/dev/null
        awk '{ print $1 + $2 }' "$work/time"
    done | sort -n | head -n 1
}

floor=$(instructions "$work/json_fallback" read "$work/otel.jsonl")
floor_s=$(seconds read fallback)
dom=$(instructions "$work/json_fallback" dom "$work/otel.jsonl")
dom_s=$(seconds dom fallback)
printf '%-10s %-10s %14s %11s %9s %9s %9s %18s\n' build mode instructions per_record vs_dom cpu_s vs_dom malformed_rejected
for build in "${builds[@]}"; do
    name=${build%%:*}
    for mode in dom ondemand raw selective; do
        count=$(instructions "$work/json_$name" "$mode" "$work/otel.jsonl")
        rejected=$("$work/json_$name" "$mode" "$work/malformed.jsonl" | awk '{ print $4 }')
        if [ "$name:$mode" = fallback:dom ]; then secs=$dom_s; else secs=$(seconds "$mode" "$name"); fi
        awk -v b="$name" -v m="$mode" -v c="$count" -v f="$floor" -v d="$dom" -v n="$records" -v r="$rejected" \
            -v s="$secs" -v fs="$floor_s" -v ds="$dom_s" 'BEGIN {
            printf "%-10s %-10s %14.0f %11.0f %9.2f %9.2f %9.2f %14d of 9\n", b, m, c, (c - f) / n, (c - f) / (d - f),
                s, (s - fs) / (ds - fs > 0.001 ? ds - fs : 0.001), r }'
    done
done
echo "(per_record and both vs_dom: without reading the lines (mode read: $floor_s s); against the DOM parse and walk of the fallback build)"
