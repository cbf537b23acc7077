#!/usr/bin/env bash
# The data dictionary: every table, view and column of a migrated schema has
# a comment (a column another migration adds without one fails here), and
# doc/data-dictionary.md is what tools/data_dictionary.sh prints from them.
# UPDATE=1 rewrites the file instead of comparing.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

"$ANALYTICS" migrate -q

missing=$(sql "SELECT c.relname FROM pg_class c
               WHERE c.relnamespace = 'analytics'::regnamespace
                 AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
                 AND obj_description(c.oid, 'pg_class') IS NULL
               UNION ALL
               SELECT c.relname || '.' || a.attname FROM pg_class c
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
               WHERE c.relnamespace = 'analytics'::regnamespace
                 AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
                 AND col_description(c.oid, a.attnum) IS NULL
               ORDER BY 1")
[ -z "$missing" ] || fail "without a comment (add COMMENT ON in a migration): $(echo $missing)"
# The check above can fail: a column without a comment is found.
sql "ALTER TABLE analytics.settings ADD COLUMN uncommented integer" >/dev/null
expect_eq "$(sql "SELECT count(*) FROM pg_attribute WHERE attrelid = 'analytics.settings'::regclass
                  AND attnum > 0 AND col_description(attrelid, attnum) IS NULL")" "1" \
    "an uncommented column is seen"
sql "ALTER TABLE analytics.settings DROP COLUMN uncommented" >/dev/null

# Every table of the schema is in the dictionary, none is empty.
ANALYTICS="$ANALYTICS" "$root/tools/data_dictionary.sh" >"$WORK/dictionary.md"
tables=$(sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'analytics'::regnamespace
              AND relkind IN ('r', 'p', 'v', 'm') AND NOT relispartition")
expect_eq "$(grep -c '^## ' "$WORK/dictionary.md")" "$tables" "relations in the dictionary"
if grep -q '| |$' "$WORK/dictionary.md"; then fail "a column without meaning in the dictionary"; fi
if [ "${UPDATE:-}" = 1 ]; then
    cp "$WORK/dictionary.md" "$root/doc/data-dictionary.md"
    echo "doc/data-dictionary.md rewritten"
fi
diff -u "$root/doc/data-dictionary.md" "$WORK/dictionary.md" ||
    fail "doc/data-dictionary.md is out of date: UPDATE=1 ANALYTICS=... tests/db/data_dictionary.sh"
echo "data dictionary: ok ($tables relations)"
