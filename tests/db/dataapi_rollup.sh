#!/usr/bin/env bash
# The dataapi rollup job (geOrchestra's dataapi_summary_hourly/daily/monthly
# without timescaledb_toolkit): each table equals a plain GROUP BY of the raw
# rows of the 'dataapi' application (exact percentiles included), other
# applications are left out, a re-run changes nothing, a late row is counted
# by the next run; and the ogc_summary view is the three OGC rollups.
. "$(dirname "$0")/lib.sh"
printf 'timezone: Europe/Paris\n' > "$WORK/paris.yaml"
export ANALYTICS_CONFIG="$WORK/paris.yaml" PGTZ=Europe/Paris
expect_status 0 "$ANALYTICS" migrate
expect_status 0 "$ANALYTICS" --now 2026-02-10 ensure-partitions

# February and the first days of March 2026, one request every ~3 minutes:
# data-API items and downloads, with NULLs in the dimensions, and GeoServer
# OGC requests that the data-API tables must not count.
sql "SELECT setseed(0.17);
INSERT INTO access_logs (id, ts, app_id, app_name, user_name, org_name, request_method,
    status_code, request_path, request_details, response_time, user_agent_family)
SELECT 'd' || g, t, CASE WHEN g % 4 = 0 THEN '/geoserver/' ELSE '/data/' END,
       CASE WHEN g % 4 = 0 THEN 'geoserver' ELSE 'dataapi' END,
       (ARRAY['alice', NULL, 'bob'])[1 + (g % 3)], (ARRAY['psc', NULL])[1 + (g % 2)], 'GET',
       (ARRAY[200, 200, 404])[1 + (random() * 2)::int], '/data/ogcapi/collections/x/items',
       CASE WHEN g % 4 = 0
            THEN jsonb_build_object('service', 'WMS', 'request', 'GetMap', 'layers', 'roads',
                                    'tags', jsonb_build_array('ogc'))
            ELSE jsonb_build_object('layers', (ARRAY['psc:rivers', 'psc:roads'])[1 + (g % 2)],
                                    'request', 'items', 'is_download', true,
                                    'download_format', (ARRAY['CSV', NULL, 'GeoJSON'])[1 + (g % 3)],
                                    'full_download', g % 5 = 0) END,
       CASE WHEN g % 7 = 0 THEN NULL ELSE (random() * 900)::int END,
       (ARRAY['QGIS', 'Firefox', NULL])[1 + (g % 3)]
FROM generate_series(timestamptz '2026-02-01 00:00', timestamptz '2026-03-03 23:59',
                     interval '181 seconds') WITH ORDINALITY AS s(t, g)" >/dev/null

# The plain computation, per bucket width.
expected() { # hour|day|month
    echo "SELECT date_trunc('$1', ts, 'Europe/Paris') AS bucket, user_name, org_name, request_method,
                 status_code, request_details->>'layers' AS layers, request_details->>'request' AS request,
                 request_details->>'is_download' AS is_download,
                 request_details->>'download_format' AS download_format,
                 request_details->>'full_download' AS full_download, user_agent_family,
                 count(*) AS nb_req, avg(response_time)::double precision AS avg_time,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time) AS median,
                 percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time) AS p95,
                 min(response_time) AS min, max(response_time) AS max
          FROM access_logs WHERE app_name = 'dataapi' AND ts < '$2'
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
}
digest() { sql "SELECT count(*) || ' ' || md5(string_agg(t::text, E'\n' ORDER BY t::text)) FROM ($1) t"; }
check() { # TABLE BUCKET WIDTH UNTIL WHAT
    expect_eq "$(digest "SELECT * FROM $1")" "$(digest "$(expected "$3" "$4")")" "$5: $1"
}

expect_status 0 "$ANALYTICS" --now '2026-03-04 10:00' rollup --job dataapi
check dataapi_summary_hourly bucket_hourly hour '2026-03-04' "after the first run"
check dataapi_summary_daily bucket_daily day '2026-03-04' "after the first run"
check dataapi_summary_monthly bucket_monthly month '2026-03-01' "after the first run"
expect_eq "$(sql "SELECT count(*) FROM dataapi_summary_daily")" \
    "$(sql "SELECT count(*) FROM (SELECT DISTINCT date_trunc('day', ts, 'Europe/Paris'), user_name, org_name, status_code, request_details->>'layers', request_details->>'download_format', request_details->>'full_download', user_agent_family FROM access_logs WHERE app_name = 'dataapi' AND ts < '2026-03-04') d")" \
    "daily groups"
[ "$(sql "SELECT sum(nb_req) FROM dataapi_summary_daily")" -gt 10000 ] || fail "too few requests rolled up"
expect_eq "$(sql "SELECT sum(nb_req) FROM dataapi_summary_monthly")" \
    "$(sql "SELECT count(*) FROM access_logs WHERE app_name = 'dataapi' AND ts < '2026-03-01'")" \
    "February's requests, monthly"
expect_eq "$(sql "SELECT count(*) FROM dataapi_summary_daily WHERE layers = 'roads'")" "0" \
    "GeoServer's requests left out"

# A re-run changes nothing; a late row is counted by the next run.
before=$(digest "SELECT * FROM dataapi_summary_daily")
expect_status 0 "$ANALYTICS" --now '2026-03-04 10:00' rollup --job dataapi
expect_eq "$(digest "SELECT * FROM dataapi_summary_daily")" "$before" "a re-run"
sql "INSERT INTO access_logs (id, ts, app_name, request_method, status_code, request_details, response_time)
     VALUES ('late', '2026-02-14 12:00+01', 'dataapi', 'GET', 200, '{\"layers\": \"late\"}', 5)" >/dev/null
sql "INSERT INTO rollup_dirty_days (job_name, day) VALUES ('dataapi', '2026-02-14')" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-03-04 10:00' rollup --job dataapi
check dataapi_summary_daily bucket_daily day '2026-03-04' "after a late row"
check dataapi_summary_monthly bucket_monthly month '2026-03-01' "after a late row"

# Fresh within the hour: today's completed hours are in the hourly table
# after each run (the hour under way is not), the day's tables wait for the
# day to complete.
sql "INSERT INTO access_logs (id, ts, app_name, request_method, status_code, request_details, response_time)
     SELECT 't' || g, timestamptz '2026-03-04 00:00' + g * interval '7 minutes', 'dataapi', 'GET', 200,
            jsonb_build_object('layers', 'psc:today', 'request', 'items'), g
     FROM generate_series(0, 95) g" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-03-04 10:30' rollup --job dataapi
check dataapi_summary_hourly bucket_hourly hour '2026-03-04 10:00' "today's completed hours"
check dataapi_summary_daily bucket_daily day '2026-03-04' "days, with today's hours rolled up"
expect_eq "$(sql "SELECT max(bucket_hourly) FROM dataapi_summary_hourly")" "2026-03-04 09:00:00+01" \
    "the last hourly bucket at 10:30"

# ogc_summary: geOrchestra's UNION of the three OGC rollups, period naming each.
expect_status 0 "$ANALYTICS" --now '2026-03-04 10:00' rollup --job ogc
expect_eq "$(sql "SELECT string_agg(period || ' ' || n, ',' ORDER BY period) FROM (SELECT period, sum(nb_req) AS n FROM ogc_summary GROUP BY period) v")" \
    "$(sql "SELECT 'day ' || (SELECT sum(nb_req) FROM ogc_summary_daily) || ',hour ' || (SELECT sum(nb_req) FROM ogc_summary_hourly) || ',month ' || (SELECT sum(nb_req) FROM ogc_summary_monthly)")" \
    "ogc_summary per period"
expect_eq "$(sql "SELECT sum(nb_req) FROM ogc_summary WHERE period = 'day'")" \
    "$(sql "SELECT count(*) FROM access_logs WHERE request_details->'tags' @> '[\"ogc\"]' AND ts < '2026-03-04'")" \
    "ogc_summary's days against the raw rows"
echo "dataapi rollup: ok"
