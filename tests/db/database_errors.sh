#!/usr/bin/env bash
# How database failures reach the user (the error table, db/error_table.hpp):
# a refused password is 77 and never printed; a full disk under the database
# is named as such, with its own status (73), and loses nothing.
. "$(dirname "$0")/lib.sh"

"$ANALYTICS" db start >/dev/null
"$ANALYTICS" migrate -q
data=$ANALYTICS_HOME/pg/data
socket=$ANALYTICS_HOME/pg/run
port=$(ls -a "$socket" | sed -n 's/^\.s\.PGSQL\.\([0-9]*\)$/\1/p')
[ -n "$port" ] || fail "no server socket in $socket"

# --- A refused password: 77 (retrying cannot help), the password masked.
sql "CREATE ROLE pwuser LOGIN PASSWORD 'right-pw'; GRANT ALL ON SCHEMA analytics TO pwuser; GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO pwuser"
{ echo "local all pwuser scram-sha-256"; cat "$data/pg_hba.conf"; } >"$WORK/hba"
cp "$WORK/hba" "$data/pg_hba.conf"
sql "SELECT pg_reload_conf()" >/dev/null
conninfo="host=$socket port=$port dbname=analytics user=pwuser"
PGPASSWORD=wrong-pw-7 expect_status 77 "$ANALYTICS" --db "$conninfo" migrate
grep -q "password authentication failed" "$WORK/err" || fail "refused password: $(cat "$WORK/err")"
if grep -q "wrong-pw-7" "$WORK/out" "$WORK/err"; then fail "the refused password was printed"; fi
PGPASSWORD= expect_status 77 "$ANALYTICS" --db "$conninfo" size-report
PGPASSWORD=right-pw expect_status 0 "$ANALYTICS" --db "$conninfo" size-report
echo "ok: a refused or missing password exits 77 and is never printed"

# --- Any other failure while loading (here a trigger that refuses rows): a
# failed step (1) with the database's reason, and nothing stored.
sql "CREATE FUNCTION analytics.refuse() RETURNS trigger LANGUAGE plpgsql AS
       \$\$BEGIN RAISE EXCEPTION 'rows refused by a test trigger'; END\$\$;
     CREATE TRIGGER refuse BEFORE INSERT ON analytics.access_logs
       FOR EACH ROW EXECUTE FUNCTION analytics.refuse()"
make_combined "$WORK/few.log" 50
expect_status 1 "$ANALYTICS" --now 2026-03-31 ingest "$WORK/few.log"
grep -q "rows refused by a test trigger" "$WORK/err" || fail "reason lost: $(cat "$WORK/err")"
expect_eq "$(sql "SELECT count(*) FROM analytics.access_logs")" 0 "rows after a refused load"
sql "INSERT INTO analytics.opentelemetry_buffer (\"timestamp\", span_id, attributes)
     VALUES ('2026-03-20T10:00:00Z', 'refused1',
             '{\"http.request.method\": \"GET\", \"url.path\": \"/geoserver/wms\"}')" >/dev/null
expect_status 1 "$ANALYTICS" --now 2026-03-31 process
grep -q "rows refused by a test trigger" "$WORK/err" || fail "process: reason lost: $(cat "$WORK/err")"
expect_eq "$(sql "SELECT count(*) FROM analytics.opentelemetry_buffer")" 1 "buffer rows kept"
sql "DROP TRIGGER refuse ON analytics.access_logs"
sql "DELETE FROM analytics.opentelemetry_buffer" >/dev/null
echo "ok: a load the database refuses exits 1 with its reason (ingest and process)"

# --- A full disk under the database: the partition the rows go to lives on a
# 2 MB file system.
small=$(mktemp -d /tmp/analytics-test-small.XXXXXX)
if ! mount -t tmpfs -o size=2m tmpfs "$small" 2>/dev/null; then
    rmdir "$small"
    echo "SKIP: full disk: cannot mount a small tmpfs here (needs root); the password case passed"
    exit 0
fi
trap 'umount "$small" 2>/dev/null; rmdir "$small"; cleanup' EXIT
chown postgres "$small" 2>/dev/null || chown "$(stat -c %U "$data")" "$small"
sql "CREATE TABLESPACE small LOCATION '$small'"
"$ANALYTICS" --now 2026-03-15 ensure-partitions -q
sql "ALTER TABLE analytics.access_logs_p202603 SET TABLESPACE small"
make_combined "$WORK/big.log" 40000 # about 8 MB of rows for a 2 MB disk
expect_status 73 "$ANALYTICS" --now 2026-03-31 ingest "$WORK/big.log"
grep -q "disk" "$WORK/err" || fail "full disk not named: $(cat "$WORK/err")"
grep -q "No space left on device" "$WORK/err" || fail "PostgreSQL's reason lost: $(cat "$WORK/err")"
echo "ok: a full disk under the database exits 73 and says so"

# Nothing half-written: after room is made the same command loads every line
# once.
sql "ALTER TABLE analytics.access_logs_p202603 SET TABLESPACE pg_default"
expect_status 0 "$ANALYTICS" --now 2026-03-31 ingest "$WORK/big.log"
expect_eq "$(sql "SELECT count(*) FROM analytics.access_logs")" 40000 "rows after the disk was freed"
echo "ok: the re-run after the full disk loads every line once"
