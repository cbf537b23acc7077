# Shared set-up for database tests: a private embedded cluster in a fresh
# temporary $ANALYTICS_HOME, stopped and removed at exit. Source it.
set -euo pipefail

: "${ANALYTICS:?ANALYTICS must name the analytics binary}"
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE DATABASE_URL ANALYTICS_DB ANALYTICS_CONFIG
export XDG_CONFIG_HOME=/nonexistent/no-user-config

ANALYTICS_HOME=$(mktemp -d /tmp/analytics-test.XXXXXX)
chmod 755 "$ANALYTICS_HOME" # as root, the server account must be able to enter it
export ANALYTICS_HOME
WORK=$(mktemp -d /tmp/analytics-test-work.XXXXXX)

cleanup() {
    # What a failed test left running in the background (a follower).
    local job
    for job in $(jobs -p); do kill -KILL "$job" 2>/dev/null || true; done
    "$ANALYTICS" db stop >/dev/null 2>&1 || true
    rm -rf "$ANALYTICS_HOME" "$WORK"
}
trap cleanup EXIT

# Runs SQL on the configured database (-At: unaligned, tuples only).
sql() { "$ANALYTICS" db psql -X -v ON_ERROR_STOP=1 -At -c "$1"; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: got [$1], expected [$2]"; }

# expect_status N COMMAND...: runs COMMAND, checks its exit status.
expect_status() {
    local expected=$1; shift
    set +e; "$@" >"$WORK/out" 2>"$WORK/err"; local status=$?; set -e
    if [ "$status" -ne "$expected" ]; then
        echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"
        fail "'$*' exited $status, expected $expected"
    fi
}

# The schema's shape: tables, columns, constraints and indexes, sorted.
schema_snapshot() {
    local schema=${1:-analytics}
    sql "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
           FROM information_schema.columns WHERE table_schema = '$schema'
         UNION ALL
         SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
           FROM pg_constraint WHERE connamespace = '$schema'::regnamespace
         UNION ALL
         SELECT indexdef FROM pg_indexes WHERE schemaname = '$schema'
         ORDER BY 1"
}

# table_digest TABLE [SCHEMA]: one hash of every row of TABLE, in a fixed order,
# to compare two loads row for row.
table_digest() {
    local table=$1 schema=${2:-analytics} key=ts
    [ "$table" = access_logs ] || key=occurred_at
    # visitor_key is a keyed hash whose salt each database draws at random:
    # two loads of the same lines agree on everything else.
    sql "SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\n' ORDER BY r)), '-')
           FROM (SELECT (to_jsonb(t) - 'visitor_key')::text AS r FROM $schema.$table t) rows"
}

# fill_buffer FILE: JSON lines into opentelemetry_buffer, as Vector's
# postgres sink inserts them (jsonb_populate_recordset over the buffer's
# columns); psql's \copy needs its own line, so the SQL goes through stdin.
fill_buffer() {
    "$ANALYTICS" db psql -X -v ON_ERROR_STOP=1 -q <<SQL
CREATE TEMP TABLE incoming (doc jsonb);
\copy incoming FROM '$1' WITH (FORMAT csv, QUOTE e'\x01', DELIMITER e'\x02')
INSERT INTO opentelemetry_buffer
  SELECT r.* FROM (SELECT jsonb_agg(doc) AS docs FROM incoming) a,
       LATERAL jsonb_populate_recordset(NULL::opentelemetry_buffer, a.docs) r;
SQL
}

# load_generated FROM TO RATE SEED: `analytics generate`'s gateway logs
# ($WORK/access.log.gz, RATE requests an hour) and geoportal beacons
# ($WORK/beacons.jsonl, 10 an hour) from FROM to TO, migrated and ingested.
load_generated() {
    "$ANALYTICS" generate -f georchestra --from "$1" --to "$2" --rate "$3" --seed "$4" \
        -o "$WORK/access.log.gz" >/dev/null
    "$ANALYTICS" generate -f events --from "$1" --to "$2" --rate 10 --seed "$4" \
        -o "$WORK/beacons.jsonl" >/dev/null
    expect_status 0 "$ANALYTICS" migrate
    expect_status 0 "$ANALYTICS" ingest "$WORK/access.log.gz"
    expect_status 0 "$ANALYTICS" ingest -f events "$WORK/beacons.jsonl"
}

# make_combined FILE LINES: synthetic combined-format lines (bench/make_inputs.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../../bench/make_inputs.sh"
