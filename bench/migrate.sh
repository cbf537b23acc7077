#!/usr/bin/env bash
# Schema creation: 'analytics migrate' on an empty schema versus psql running
# the same SQL files, side by side in one run, N rounds each (default 10).
# Prints the median times and their ratio (target: close to 1; the difference
# is connection set-up, the advisory lock and bookkeeping).
. "$(dirname "$0")/common.sh"
rounds=${1:-10}
sql_dir="$(cd "$(dirname "$0")/.." && pwd)/sql"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

ours=(); base=()
for i in $(seq "$rounds"); do
    printf 'database:\n  schema: bench_a%s\n' "$i" > "$ANALYTICS_HOME/a.yaml"
    t0=$(now_ns); "$ANALYTICS" --config "$ANALYTICS_HOME/a.yaml" migrate >/dev/null; t1=$(now_ns)
    ours+=("$(seconds "$t0" "$t1")")
    t0=$(now_ns)
    # With the bookkeeping table migrate keeps (a migration comments on it)
    # and a row per file, as migrate writes.
    {
        echo "CREATE SCHEMA bench_b$i; SET search_path = bench_b$i;"
        echo "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
        echo "    checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
        for file in "$sql_dir"/[0-9]*.sql; do
            cat "$file"
            name=$(basename "$file")
            echo "INSERT INTO schema_migrations (version, name, checksum)"
            echo "    VALUES (${name%%_*}, '$name', '$(sha256sum < "$file" | cut -c1-64)');"
        done
    } |
        "$ANALYTICS" db psql -X -q -v ON_ERROR_STOP=1 >/dev/null
    t1=$(now_ns)
    base+=("$(seconds "$t0" "$t1")")
done
a=$(printf '%s\n' "${ours[@]}" | median)
b=$(printf '%s\n' "${base[@]}" | median)
echo "rounds: $rounds"
echo "analytics migrate (median): ${a}s"
echo "psql -f same SQL (median):  ${b}s"
echo "ratio migrate / psql:       $(ratio "$a" "$b")"
