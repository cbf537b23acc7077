#!/usr/bin/env bash
# End-to-end ingest into PostgreSQL (SPEC §7): `analytics ingest` of generated
# combined lines and OTel records into the embedded database, beside a bare
# COPY of the very rows it stored into an identical empty table (same
# partitions, same primary key) in the same run. Target: ratio <= 1.25.
# The disk makes single runs noisy: each side runs ROUNDS times, alternating,
# and the best time of each is compared.
#   bench/ingest_load.sh [COMBINED_LINES] [OTEL_RECORDS] [ROUNDS]
#   INGEST_ARGS="--jobs 1" bench/ingest_load.sh …   (options added to ingest)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/make_inputs.sh"
combined_lines=${1:-1000000}
otel_records=${2:-200000}
rounds=${3:-3}
work=$ANALYTICS_HOME/work
mkdir -p "$work"
export ANALYTICS_CONFIG=/dev/null
psql_() { "$ANALYTICS" db psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "generating $combined_lines combined lines and $otel_records OTel records..."
generate_lines combined "$work/combined.log" "$combined_lines"
generate_lines otel "$work/otel.jsonl" "$otel_records"
"$ANALYTICS" migrate >/dev/null
printf 'database:\n  schema: baseline\n' > "$work/baseline.yaml"
"$ANALYTICS" --config "$work/baseline.yaml" migrate >/dev/null
# The columns in the order analytics COPYs them (load/copy_text.hpp): the table's, ts last.
columns=$(psql_ -At -c "SELECT string_agg(column_name, ', ' ORDER BY column_name = 'ts', ordinal_position)
                          FROM information_schema.columns
                         WHERE table_schema = 'analytics' AND table_name = 'access_logs'")

printf '%-10s %10s %10s %10s %10s %8s %12s\n' format rows ingest_s copy_s ratio MB rows/s
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
for spec in "combined:$work/combined.log" "otel:$work/otel.jsonl"; do
    format=${spec%%:*}
    file=${spec#*:}
    ingest_s="" copy_s=""
    for round in $(seq "$rounds"); do
        psql_ -c "TRUNCATE analytics.access_logs, analytics.ingest_registry_files, analytics.ingest_registry" \
              -c "CHECKPOINT" >/dev/null
        t0=$(now_ns)
        "$ANALYTICS" ingest --progress never ${INGEST_ARGS:-} --format "$format" "$file" >/dev/null
        t1=$(now_ns)
        ingest_s=$(best "$ingest_s" "$(seconds "$t0" "$t1")")
        if [ "$round" = 1 ]; then
            # The same final rows, as COPY text, into an identical empty table.
            psql_ -c "\\copy (SELECT $columns FROM analytics.access_logs) TO '$work/rows.copy'"
            psql_ -At -c "SELECT format('CREATE TABLE IF NOT EXISTS baseline.%I PARTITION OF baseline.access_logs %s;',
                                 c.relname, pg_get_expr(c.relpartbound, c.oid))
                          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                          WHERE i.inhparent = 'analytics.access_logs'::regclass" |
                psql_ -c "SET client_min_messages = warning" -f - >/dev/null
        fi
        psql_ -c "TRUNCATE baseline.access_logs" -c "CHECKPOINT" >/dev/null
        t2=$(now_ns)
        psql_ -c "\\copy baseline.access_logs ($columns) FROM '$work/rows.copy'"
        t3=$(now_ns)
        copy_s=$(best "$copy_s" "$(seconds "$t2" "$t3")")
    done
    rows=$(psql_ -At -c "SELECT count(*) FROM analytics.access_logs")
    mb=$(awk -v b="$(stat -c %s "$work/rows.copy")" 'BEGIN { printf "%.0f", b / 1e6 }')
    printf '%-10s %10d %10s %10s %10s %8s %12.0f\n' "$format" "$rows" "$ingest_s" "$copy_s" \
        "$(ratio "$ingest_s" "$copy_s")" "$mb" "$(awk -v r="$rows" -v s="$ingest_s" 'BEGIN { print r / s }')"
done
echo "(best of $rounds: ingest_s: parse + enrich + load with analytics; copy_s: psql \\copy of the same rows;"
echo " MB: size of those rows as COPY text)"
