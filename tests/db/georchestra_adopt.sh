#!/usr/bin/env bash
# migrate --adopt (issue 18) on a real TimescaleDB made by geOrchestra's own
# scripts (../shared/vendor/georchestra-analytics/100_ and 101_, read from
# there): --dry-run changes nothing; the adoption, killed mid-copy and run
# again, copies every raw row exactly once; the ogc_summary_* sums per day
# are those of geOrchestra's
# continuous aggregates, including the days whose raw rows its retention had
# dropped; the buffer's rows move to ours; a second run changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extension_lib.sh"
need_extension timescaledb
scripts=$VENDOR/georchestra-analytics
[ -f "$scripts/100_analytics_init.sql" ] || skip "$scripts/100_analytics_init.sql is missing"

start_cluster ts timescaledb
psql_on ts "CREATE EXTENSION timescaledb" >/dev/null
for f in 100_analytics_init.sql 101_analytics_ogc_views.sql; do
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT_ts" -U postgres -d postgres \
        -f "$scripts/$f" >/dev/null 2>"$WORK/$f.err" || fail "$f: $(cat "$WORK/$f.err")"
done

# August to mid-November, a row every 97 s; a quarter not OGC; one row
# without id (geOrchestra's id may be NULL; it is not OGC, since geOrchestra
# counts ids); three rows waiting in the buffer.
psql_on ts "INSERT INTO analytics.access_logs (id, ts, message, app_id, app_path, app_name,
        user_name, org_name, request_method, request_path, request_details, response_time,
        response_size, status_code, server_address)
    SELECT 'r' || g, timestamptz '2026-08-01 00:00+02' + g * interval '97 seconds', 'GET /wms',
        'geoserver', '/geoserver', 'geoserver', 'user' || g % 5, 'org' || g % 3, 'GET',
        '/geoserver/ws/wms',
        jsonb_build_object('tags', CASE WHEN g % 4 = 0 THEN '[]' ELSE '[\"ogc\"]' END::jsonb,
            'service', 'WMS', 'request', 'GetMap', 'layers', 'ws:l' || g % 7, 'workspaces', 'ws',
            'user_agent_family', CASE WHEN g % 2 = 0 THEN 'QGIS' ELSE 'Firefox' END),
        10 + g % 300, 1000, 200, 'geo.example.org'
    FROM generate_series(1, 95000) g" >/dev/null
psql_on ts "INSERT INTO analytics.access_logs (id, ts, message, app_id, app_path, app_name)
    VALUES (NULL, '2026-10-15 12:00+02', 'no id', 'x', '/x', 'x')" >/dev/null
psql_on ts "INSERT INTO analytics.opentelemetry_buffer (\"timestamp\", span_id, message)
    SELECT now(), 'span' || g, 'waiting' FROM generate_series(1, 3) g" >/dev/null
for cagg in hourly daily monthly; do
    psql_on ts "CALL refresh_continuous_aggregate('analytics.ogc_summary_$cagg', NULL, NULL)" >/dev/null
done
# geOrchestra's retention: the chunks before 10 September are gone, their
# hours, days and months remain in the aggregates.
psql_on ts "SELECT count(*) FROM drop_chunks('analytics.access_logs', timestamptz '2026-09-10 00:00+02')" >/dev/null
first_raw=$(psql_on ts "SELECT min(ts) FROM analytics.access_logs")

# The figures to keep: every raw row, and the aggregates' sums.
raw_digest() { # SCHEMA ID_EXPRESSION
    psql_on ts "SET timezone = 'UTC'; SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', $2, ts,
        message, app_id, user_name, org_name, request_details, response_time, response_size,
        status_code), E'\n' ORDER BY ts, $2)) FROM $1.access_logs"
}
sums() { # SCHEMA
    psql_on ts "SET timezone = 'Europe/Paris';
        SELECT 'hour ' || bucket_hourly::date || ' ' || sum(nb_req) FROM $1.ogc_summary_hourly GROUP BY bucket_hourly::date
        UNION ALL SELECT 'day ' || bucket_daily::date || ' ' || sum(nb_req) FROM $1.ogc_summary_daily GROUP BY bucket_daily::date
        UNION ALL SELECT 'month ' || bucket_monthly::date || ' ' || sum(nb_req) FROM $1.ogc_summary_monthly
            GROUP BY bucket_monthly::date
        ORDER BY 1"
}
before_raw=$(raw_digest analytics "coalesce(id, 'oid' || oid)")
sums analytics > "$WORK/before.sums"
grep -q '^day 2026-08-02 ' "$WORK/before.sums" || fail "no aggregate of the dropped days: $(head -3 "$WORK/before.sums")"
grep -q '^month 2026-08-01 ' "$WORK/before.sums" || fail "no monthly aggregate of August"

printf 'timezone: Europe/Paris\n' > "$WORK/config.yaml"
ANALYTICS_DB=$(conninfo ts)
export ANALYTICS_CONFIG="$WORK/config.yaml" ANALYTICS_DB

# Plain migrate refuses geOrchestra's schema; --adopt --dry-run says what it
# would do and does nothing.
expect_status 78 "$ANALYTICS" migrate
grep -q "run 'analytics migrate --adopt'" "$WORK/err" || fail "plain migrate: $(cat "$WORK/err")"
expect_eq "$(psql_on ts "SELECT to_regclass('analytics.schema_migrations') IS NULL")" t \
    "plain migrate left geOrchestra's schema as it was"
expect_status 0 "$ANALYTICS" migrate --adopt --dry-run
grep -q 'would move geOrchestra.s objects of schema "analytics" to schema "analytics_georchestra"' "$WORK/out" ||
    fail "dry run: $(cat "$WORK/out")"
grep -q 'move opentelemetry_buffer.s 3 rows' "$WORK/out" || fail "dry run, buffer: $(cat "$WORK/out")"
expect_eq "$(psql_on ts "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'analytics_%'")" 0 \
    "schemas after a dry run"

# Killed mid-copy, then run again to the end. To stop it mid-copy whatever
# the machine's speed, a session takes the partition lock the copy takes for
# each day (storage/partitions.cpp) as soon as the first day is committed;
# the adoption then waits on its next day and is killed there.
"$ANALYTICS" migrate --adopt >/dev/null 2>"$WORK/killed.err" &
pid=$!
for _ in $(seq 600); do
    [ "$(psql_on ts "SELECT to_regclass('analytics_georchestra.analytics_adoption') IS NOT NULL")" = t ] && break
    sleep 0.05
done
psql_on ts "DO \$\$ BEGIN
        LOOP
            EXIT WHEN (SELECT copied_until > first_raw FROM analytics_georchestra.analytics_adoption);
            PERFORM pg_sleep(0.005);
        END LOOP;
        PERFORM pg_advisory_lock(hashtext('analytics:partitions'), hashtext('analytics.access_logs'));
        PERFORM pg_sleep(600);
    END \$\$" >"$WORK/holder.out" 2>&1 &
holder=$!
for _ in $(seq 600); do
    [ "$(psql_on ts "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")" = 1 ] && break
    kill -0 "$pid" 2>/dev/null || fail "the adoption ended before it could be stopped: $(cat "$WORK/killed.err" "$WORK/holder.out"; psql_on ts "SELECT state, wait_event, left(query, 60) FROM pg_stat_activity WHERE backend_type = 'client backend'; SELECT * FROM pg_locks WHERE locktype = 'advisory'; SELECT * FROM analytics_georchestra.analytics_adoption")"
    sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
psql_on ts "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'DO %pg_advisory_lock%' AND pid <> pg_backend_pid()" >/dev/null
wait "$holder" 2>/dev/null || true
partial=$(psql_on ts "SELECT count(*) FROM analytics.access_logs")
total=$(psql_on ts "SELECT count(*) FROM analytics_georchestra.access_logs")
[ "$partial" -gt 0 ] && [ "$partial" -lt "$total" ] || fail "killed with $partial of $total rows copied: not mid-copy"
expect_status 0 "$ANALYTICS" migrate --adopt
grep -q 'access_logs rows in' "$WORK/out" || fail "resumed adoption: $(cat "$WORK/out")"
grep -q 'adopt: 2026-11-1.* copied' "$WORK/err" || fail "no progress: $(tail -3 "$WORK/err")"

expect_eq "$(raw_digest analytics id)" "$before_raw" "raw rows after the adoption (killed at $partial rows)"
expect_eq "$(raw_digest analytics_georchestra "coalesce(id, 'oid' || oid)")" "$before_raw" \
    "geOrchestra's rows, moved aside"
expect_eq "$(psql_on ts "SELECT count(*) FROM analytics.opentelemetry_buffer WHERE message = 'waiting'")" 3 \
    "buffer rows moved"
expect_eq "$(psql_on ts "SELECT count(*) FROM analytics_georchestra.opentelemetry_buffer")" 0 \
    "geOrchestra's buffer emptied"

# Our rollups of the copied days, with the kept aggregates, give geOrchestra's sums.
export ANALYTICS_NOW=2026-12-02T08:00:00+01:00 ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=36600
expect_status 0 "$ANALYTICS" rollup
sums analytics > "$WORK/after.sums"
diff "$WORK/before.sums" "$WORK/after.sums" > "$WORK/sums.diff" ||
    fail "ogc_summary sums differ: $(head -5 "$WORK/sums.diff")"
expect_status 0 "$ANALYTICS" migrate
grep -q 'is up to date' "$WORK/out" || fail "migrate after adoption: $(cat "$WORK/out")"

# A second adoption changes nothing.
digest_all() {
    psql_on ts "SELECT (SELECT count(*) FROM analytics.access_logs) || ' ' ||
        (SELECT count(*) FROM analytics.ogc_summary_daily) || ' ' ||
        (SELECT count(*) FROM analytics.ogc_summary_hourly) || ' ' ||
        (SELECT count(*) FROM analytics.dropped_months)"
}
before_second=$(digest_all)
expect_status 0 "$ANALYTICS" migrate --adopt
grep -q 'nothing to do' "$WORK/out" || fail "second adoption: $(cat "$WORK/out")"
expect_eq "$(digest_all)" "$before_second" "tables after a second adoption"
expect_eq "$(raw_digest analytics id)" "$before_raw" "raw rows after a second adoption"
echo PASS
