#!/usr/bin/env bash
# The column catalogues, from which the records, the COPY rows and the JSON
# lines are generated (record/access_columns.def for access_logs, reprocess
# too; parse/event_columns.def for searches, search_impressions and events),
# are the migrated tables: the same names in the same order with the same
# types, nullability and varchar lengths. Two columns swapped in a catalogue,
# or a migration that adds, drops or retypes one without it, fail here.
. "$(dirname "$0")/lib.sh"
: "${PRINT_TABLE_COLUMNS:?PRINT_TABLE_COLUMNS must name the catalogue printer}"

expect_status 0 "$ANALYTICS" migrate
catalogue=$("$PRINT_TABLE_COLUMNS")
for table in access_logs searches search_impressions events; do
    columns=$(sql "SELECT table_name || ' ' || column_name || ' ' || udt_name || ' ' ||
                          is_nullable || ' ' || coalesce(character_maximum_length, 0)
                     FROM information_schema.columns
                    WHERE table_schema = 'analytics' AND table_name = '$table'
                    ORDER BY ordinal_position")
    [ -n "$columns" ] || fail "$table has no columns"
    expected=$(grep "^$table " <<<"$catalogue")
    if [ "$expected" != "$columns" ]; then
        diff <(echo "$expected") <(echo "$columns") | sed 's/^/  /' >&2 || true
        fail "the catalogue (<) differs from $table after migrate (>)"
    fi
done
