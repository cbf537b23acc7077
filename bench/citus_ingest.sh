#!/usr/bin/env bash
# Ingest into one server vs into a Citus coordinator with two workers, side
# by side in one run (issue 18): the same generated combined lines loaded by
# `analytics ingest` into the embedded single server and into a coordinator
# and two workers on 127.0.0.1 (clusters of this run, as tests/db/citus.sh
# starts them; Citus built from ../shared/vendor when missing). Best of ROUNDS.
#   bench/citus_ingest.sh [LINES] [ROUNDS]
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/make_inputs.sh"
fail() { echo "citus_ingest.sh: $*" >&2; exit 1; }
cleanup() { "$ANALYTICS" db stop >/dev/null 2>&1 || true; rm -rf "$ANALYTICS_HOME"; }
. "$(dirname "${BASH_SOURCE[0]}")/../tests/db/extension_lib.sh"
lines=${1:-500000}
rounds=${2:-3}
work=$ANALYTICS_HOME/work
mkdir -p "$work"
export ANALYTICS_CONFIG=/dev/null
need_extension citus
start_citus

echo "generating $lines combined lines..."
generate_lines combined "$work/combined.log" "$lines"
citus=$(conninfo coord)
"$ANALYTICS" migrate >/dev/null
"$ANALYTICS" --db "$citus" migrate >/dev/null

printf '%-28s %10s %10s\n' target seconds rows/s
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
single_s="" citus_s=""
for round in $(seq "$rounds"); do
    for target in single citus; do
        db=()
        [ "$target" = citus ] && db=(--db "$citus")
        "$ANALYTICS" "${db[@]}" db psql -X -q -c "TRUNCATE access_logs, ingest_registry_files, ingest_registry" >/dev/null
        t0=$(now_ns)
        "$ANALYTICS" "${db[@]}" ingest --progress never --format combined "$work/combined.log" >/dev/null
        t=$(seconds "$t0" "$(now_ns)")
        if [ "$target" = single ]; then single_s=$(best "$single_s" "$t"); else citus_s=$(best "$citus_s" "$t"); fi
    done
done
rows=$("$ANALYTICS" --db "$citus" db psql -X -At -c "SELECT count(*) FROM access_logs")
printf '%-28s %10s %10.0f\n' "one server (embedded)" "$single_s" "$(awk -v r="$rows" -v s="$single_s" 'BEGIN { print r / s }')"
printf '%-28s %10s %10.0f\n' "Citus, coordinator + 2" "$citus_s" "$(awk -v r="$rows" -v s="$citus_s" 'BEGIN { print r / s }')"
echo "ratio citus/single: $(ratio "$citus_s" "$single_s") ($rows rows)"
