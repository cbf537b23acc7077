#!/usr/bin/env bash
# opentelemetry_buffer survives a crash of PostgreSQL (SPEC §3): it is a
# logged table, unless database.buffer_unlogged asks for geOrchestra's
# UNLOGGED one, which 'migrate' (and the embedded database's own migration)
# applies, and which a crash empties.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
rows=5000

persistence() { sql "SELECT relpersistence FROM pg_class WHERE oid = '${1:-analytics}.opentelemetry_buffer'::regclass"; }

# Rows as Vector's postgres sink writes them. No CHECKPOINT afterwards: the
# rows must come back from the WAL.
fill_buffer() {
    sql "INSERT INTO opentelemetry_buffer (\"timestamp\", span_id, message, attributes, scope, source_type)
         SELECT timestamptz '2026-11-02 10:00:00+00' + i * interval '1 second', lpad(to_hex(i), 16, '0'), '',
                jsonb_build_object('http.request.method', 'GET', 'http.request.path', '/geoserver/wms',
                                   'http.status_code', '200', 'server.address', 'geo.example.org'),
                '{\"name\": \"org.georchestra.gateway.accesslog\"}', 'opentelemetry'
           FROM generate_series(1, $rows) i" >/dev/null
}

# kill -9 of the postmaster, then a restart: PostgreSQL recovers from its WAL.
crash() {
    local pid
    pid=$(head -1 "$("$ANALYTICS" db path)/pg/data/postmaster.pid")
    kill -9 "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    # Its children leave on their own once they see it gone; until then the
    # old shared memory is in use and a new server refuses to start.
    for _ in $(seq 60); do "$ANALYTICS" db start >/dev/null 2>&1 && return; sleep 0.5; done
    expect_status 0 "$ANALYTICS" db start
}

# The default: logged, and a crash loses no undrained row.
expect_eq "$(persistence)" "p" "buffer persistence by default"
fill_buffer
crash
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "$rows" "undrained rows after kill -9 of PostgreSQL"
expect_eq "$(sql "SELECT count(DISTINCT span_id) FROM opentelemetry_buffer")" "$rows" "each row once after recovery"

# database.buffer_unlogged: true: a dry run shows the change and makes none,
# migrate makes the table UNLOGGED, keeping its rows.
printf 'database:\n  buffer_unlogged: true\n' > "$WORK/unlogged.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/unlogged.yaml" migrate --dry-run
grep -qx "ALTER TABLE opentelemetry_buffer SET UNLOGGED;" "$WORK/out" || fail "dry run: $(cat "$WORK/out")"
grep -q "nothing to apply" "$WORK/out" && fail "dry run says nothing to apply: $(cat "$WORK/out")"
expect_eq "$(persistence)" "p" "after a dry run"
expect_status 0 "$ANALYTICS" --config "$WORK/unlogged.yaml" migrate
grep -q "opentelemetry_buffer set UNLOGGED (database.buffer_unlogged: true)" "$WORK/out" || fail "migrate: $(cat "$WORK/out")"
[ -s "$WORK/err" ] && fail "migrate wrote to stderr: $(cat "$WORK/err")"
expect_eq "$(persistence)" "u" "buffer persistence with buffer_unlogged: true"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "$rows" "rows kept by SET UNLOGGED"
expect_status 0 "$ANALYTICS" --config "$WORK/unlogged.yaml" --json migrate
grep -q '"buffer_set": null' "$WORK/out" || fail "second migrate changed the buffer: $(cat "$WORK/out")"
expect_status 0 "$ANALYTICS" --config "$WORK/unlogged.yaml" migrate --dry-run
grep -q "nothing to apply" "$WORK/out" || fail "dry run on an UNLOGGED buffer: $(cat "$WORK/out")"

# The risk that setting takes, shown by the same crash: the rows are gone.
crash
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "0" "UNLOGGED buffer after kill -9 of PostgreSQL"

# Back to the default: logged again.
expect_status 0 "$ANALYTICS" --json migrate
grep -q '"buffer_set": "LOGGED"' "$WORK/out" || fail "migrate back to logged: $(cat "$WORK/out")"
expect_eq "$(persistence)" "p" "buffer persistence back to the default"

# A schema of version 0.1 (UNLOGGED buffer, holding rows): the migration makes
# it logged and keeps the rows.
sql "ALTER TABLE opentelemetry_buffer SET UNLOGGED; DELETE FROM schema_migrations WHERE version = 4" >/dev/null
fill_buffer
expect_status 0 "$ANALYTICS" migrate
grep -q " 4 (buffer_logged)" "$WORK/out" || fail "upgrade: $(cat "$WORK/out")"
expect_eq "$(persistence)" "p" "buffer persistence after the upgrade"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "$rows" "rows kept by the upgrade"

# The embedded database migrates itself, and applies the setting then.
printf 'database:\n  schema: fresh\n  buffer_unlogged: true\n' > "$WORK/fresh.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/fresh.yaml" size-report
expect_eq "$(persistence fresh)" "u" "buffer persistence after the embedded database's own migration"
echo "ok"
