#!/usr/bin/env bash
# The access_logs catalogue (record/access_columns.def), from which the record,
# the COPY rows, the JSON lines and reprocess are generated, is the migrated
# table: the same names in the same order with the same types and nullability.
# Two columns swapped in the catalogue, or a migration that adds, drops or
# retypes one without it, fail here.
. "$(dirname "$0")/lib.sh"
: "${PRINT_ACCESS_COLUMNS:?PRINT_ACCESS_COLUMNS must name the catalogue printer}"

expect_status 0 "$ANALYTICS" migrate
table=$(sql "SELECT column_name || ' ' || udt_name || ' ' || is_nullable
               FROM information_schema.columns
              WHERE table_schema = 'analytics' AND table_name = 'access_logs'
              ORDER BY ordinal_position")
catalogue=$("$PRINT_ACCESS_COLUMNS")
[ -n "$table" ] || fail "access_logs has no columns"
if [ "$catalogue" != "$table" ]; then
    diff <(echo "$catalogue") <(echo "$table") | sed 's/^/  /' >&2 || true
    fail "the catalogue (<) differs from access_logs after migrate (>)"
fi
