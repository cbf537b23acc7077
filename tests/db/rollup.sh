#!/usr/bin/env bash
# rollup: values equal a straightforward aggregation of the raw rows; re-runs
# change nothing; late rows are counted after the next run; the per-run cap;
# DST days in Europe/Paris; no key collisions or overflows; a dropped raw
# month is never recomputed; a failing job does not stop the others.
. "$(dirname "$0")/lib.sh"
printf 'timezone: Europe/Paris\n' > "$WORK/paris.yaml"
export ANALYTICS_CONFIG="$WORK/paris.yaml"
expect_status 0 "$ANALYTICS" migrate
expect_status 0 "$ANALYTICS" --now 2026-03-15 ensure-partitions
expect_status 0 "$ANALYTICS" --now 2026-10-15 ensure-partitions
export PGTZ=Europe/Paris # psql sessions in local time, as the configuration

# Random requests from 2026-03-26 to 2026-04-02 (across the spring DST change),
# one every ~2 minutes, with NULLs, empty and '|' values in the dimensions.
add_requests() { # FROM TO SEED PREFIX
    sql "SELECT setseed($3);
    INSERT INTO access_logs (id, ts, app_id, app_name, user_name, org_name, request_method,
        status_code, server_address, request_path, request_details, response_time, user_agent_family,
        referrer, tier_id, api_key_id, client_name, client_channel, source_host, visit_token)
    SELECT '$4' || g, t, '/geoserver/', (ARRAY['geoserver', 'mapproxy', NULL])[1 + (random() * 2)::int],
           (ARRAY['alice', 'bob', NULL, 'a|b'])[1 + (random() * 3)::int],
           (ARRAY['psc', NULL, 'b|'])[1 + (random() * 2)::int], 'GET',
           (ARRAY[200, 404, 500])[1 + (random() * 2)::int], 'geo.example.org', '/geoserver/wms',
           CASE WHEN random() < 0.8 THEN jsonb_build_object('service', 'WMS', 'request', 'getmap',
                'layers', (ARRAY['roads', 'rivers'])[1 + (random())::int], 'workspaces', 'psc',
                'tiled', random() < 0.5, 'tags', jsonb_build_array('ogc'))
                ELSE jsonb_build_object('tags', jsonb_build_array('api')) END,
           (random() * 1000)::int, (ARRAY['QGIS', 'Firefox', NULL])[1 + (random() * 2)::int],
           (ARRAY['https://portal.example.org/', NULL])[1 + (random())::int],
           (random() * 2)::int, NULL, (ARRAY['web', NULL, ''])[1 + (random() * 2)::int], NULL,
           'portal.example.org', 'v' || (random() * 50)::int
    FROM generate_series(timestamptz '$1', timestamptz '$2', interval '117 seconds') WITH ORDINALITY AS s(t, g)" >/dev/null
}
add_requests '2026-03-26 00:00' '2026-04-02 23:59' 0.42 r

# What the rollups must hold, computed the plain way (completed days only).
ROLLUP_TZ=Europe/Paris
. "$(dirname "$0")/rollup_expected.sh"
digest() {
    sql "SELECT (SELECT md5(string_agg(t::text, '' ORDER BY t::text)) FROM ogc_summary_hourly t)
             || (SELECT md5(string_agg(t::text, '' ORDER BY t::text)) FROM (SELECT bucket_daily, $actual_ogc FROM ogc_summary_daily) t)
             || (SELECT md5(string_agg(t::text, '' ORDER BY t::text)) FROM ($actual_api) t)"
}

# The cap: 3 days a run, from the first day with rows.
expect_status 0 env ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=3 "$ANALYTICS" --now '2026-04-02 12:00' --json rollup --job ogc
expect_eq "$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["jobs"][0]; print(",".join(j["days"]), j["checkpoint"])' "$WORK/out")" \
    "2026-03-26,2026-03-27,2026-03-28 2026-03-28" "capped run"
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' rollup
check_all '2000-01-01' '2026-04-02' "up to yesterday"
expect_eq "$(sql "SELECT last_processed_date FROM maintenance_state WHERE job_name = 'ogc'")" "2026-04-01" "checkpoint"

# Spring forward: 2026-03-29 has 23 local hours; one daily bucket per day.
expect_eq "$(sql "SELECT count(DISTINCT bucket_hourly) FROM ogc_summary_hourly WHERE bucket_hourly >= '2026-03-29' AND bucket_hourly < '2026-03-30'")" "23" "hours on 2026-03-29"
expect_eq "$(sql "SELECT count(DISTINCT bucket_hourly) FROM ogc_summary_hourly WHERE bucket_hourly >= '2026-03-28' AND bucket_hourly < '2026-03-29'")" "24" "hours on 2026-03-28"
expect_eq "$(sql "SELECT string_agg(DISTINCT bucket_daily::text, ',') FROM ogc_summary_daily WHERE bucket_daily >= '2026-03-29' AND bucket_daily < '2026-03-30'")" "2026-03-29 00:00:00+01" "daily bucket at local midnight"
# Groups that differ only by NULL, '' or '|' stay apart.
[ "$(sql "SELECT count(*) FROM daily_api_usage_metrics WHERE client_name IS NULL")" -gt 0 ] || fail "no NULL group"
[ "$(sql "SELECT count(*) FROM daily_api_usage_metrics WHERE client_name = ''")" -gt 0 ] || fail "no '' group"

# A re-run changes nothing.
before=$(digest)
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' rollup
expect_eq "$(digest)" "$before" "re-run"

# Late rows for rolled-up days mark them dirty; the next run counts them.
cp "$ANALYTICS_CONFIG" "$WORK/late.yaml"
add_requests '2026-03-27 10:00' '2026-03-27 11:00' 0.7 late
sql "INSERT INTO rollup_dirty_days (job_name, day) VALUES ('ogc', '2026-03-27'), ('api_usage', '2026-03-27'), ('access', '2026-03-27')" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' --json rollup
grep -q '"dirty":\["2026-03-27"\]' "$WORK/out" || fail "dirty day not recomputed: $(cat "$WORK/out")"
check_all '2000-01-01' '2026-04-02' "after late rows"

# Fall back: 2026-10-25 has 25 local hours.
add_requests '2026-10-24 00:00' '2026-10-26 23:59' 0.3 oct
expect_status 0 "$ANALYTICS" --now '2026-10-27 08:00' rollup --from 2026-10-24 --to 2026-10-26
expect_eq "$(sql "SELECT count(DISTINCT bucket_hourly) FROM ogc_summary_hourly WHERE bucket_hourly >= '2026-10-25' AND bucket_hourly < '2026-10-26'")" "25" "hours on 2026-10-25"
check_all '2026-10-24' '2026-10-27' "forced range"
expect_eq "$(sql "SELECT last_processed_date FROM maintenance_state WHERE job_name = 'ogc'")" "2026-04-01" "a forced range does not jump the checkpoint"

# Monthly buckets: March is complete and rolled up to its last day.
expect_eq "$(differences "SELECT (date_trunc('month', ts AT TIME ZONE 'Europe/Paris')) AT TIME ZONE 'Europe/Paris', $ogc_dims, $ogc_measures FROM access_logs WHERE request_details->'tags' ? 'ogc' AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, $ogc_dims" \
    "SELECT bucket_monthly, $actual_ogc FROM ogc_summary_monthly" '2026-03-01' '2026-04-01')" "0" "ogc_summary_monthly for March"

# Searches (with their impressions) and resource events, against plain SQL.
sql "SELECT setseed(0.3);
     INSERT INTO searches (search_id, occurred_at, client_name, view, sort, results_count, zero_results)
       SELECT 'q' || g, timestamptz '2026-03-26' + g * interval '7 minutes',
              (ARRAY['web', NULL])[1 + (random())::int], (ARRAY['list', 'map', NULL])[1 + (random() * 2)::int],
              'relevance', (random() * 100)::int, random() < 0.1
       FROM generate_series(0, 1400) g;
     INSERT INTO search_impressions (search_id, occurred_at, resource_id, rank)
       SELECT 'q' || g, timestamptz '2026-03-26' + g * interval '7 minutes', 'res' || r, r
       FROM generate_series(0, 1400) g, generate_series(1, 3) r WHERE random() < 0.7;
     INSERT INTO events (event_id, occurred_at, event_type, resource_id, client_name)
       SELECT 'ev' || g, timestamptz '2026-03-26' + g * interval '5 minutes',
              (ARRAY['click', 'view'])[1 + (random())::int],
              (ARRAY['res1', 'res2', NULL])[1 + (random() * 2)::int], 'web'
       FROM generate_series(0, 2000) g" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' rollup --job search --from 2026-03-26 --to 2026-04-01
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' rollup --job resource --from 2026-03-26 --to 2026-04-01
expect_eq "$(differences "SELECT (s.occurred_at AT TIME ZONE 'Europe/Paris')::date, client_name, client_channel, source_host,
        view, search_field, sort, count(*), count(*) FILTER (WHERE zero_results), sum(results_count),
        sum((SELECT count(*) FROM search_impressions i WHERE i.search_id = s.search_id AND i.occurred_at >= '{START}' AND i.occurred_at < '{END}'))
      FROM searches s WHERE occurred_at >= '{START}' AND occurred_at < '{END}' AND search_id LIKE 'q%' GROUP BY 1, 2, 3, 4, 5, 6, 7" \
    "SELECT metric_date, client_name, client_channel, source_host, view, search_field, sort, searches_count,
        zero_results_count, total_results_count, total_impressions_count FROM daily_search_metrics" \
    '2026-03-26' '2026-04-02')" "0" "daily_search_metrics"
expect_eq "$(differences "SELECT (occurred_at AT TIME ZONE 'Europe/Paris')::date, resource_id, event_type, client_name,
        client_channel, source_host, count(*) FROM events WHERE occurred_at >= '{START}' AND occurred_at < '{END}'
        AND resource_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6" \
    "SELECT metric_date, resource_id, event_type, client_name, client_channel, source_host, event_count FROM daily_resource_metrics" \
    '2026-03-26' '2026-04-02')" "0" "daily_resource_metrics"

# Huge counts do not overflow.
sql "INSERT INTO searches (search_id, occurred_at, results_count, client_name)
     SELECT 's' || g, timestamptz '2026-03-27 12:00+01' + g * interval '1 second', 2147483647, 'huge'
     FROM generate_series(1, 3) g" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' rollup --job search --from 2026-03-27 --to 2026-03-27
expect_eq "$(sql "SELECT total_results_count FROM daily_search_metrics WHERE metric_date = '2026-03-27' AND client_name = 'huge'")" "6442450941" "bigint sums"

# A day whose raw month was dropped is never recomputed: its rollups stay.
# Retention records its drops (dropped_months); a partition gone without a
# record (dropped by hand) leaves a day without raw rows, whose rollups stay too.
kept=$(sql "SELECT sum(nb_req) FROM ogc_summary_daily WHERE bucket_daily < '2026-04-01'")
sql "DROP TABLE access_logs_p202603; INSERT INTO rollup_dirty_days (job_name, day) VALUES ('ogc', '2026-03-28')" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' --json rollup --job ogc
grep -q '"empty":\["2026-03-28"\]' "$WORK/out" || fail "day without raw rows: $(cat "$WORK/out")"
expect_eq "$(sql "SELECT sum(nb_req) FROM ogc_summary_daily WHERE bucket_daily < '2026-04-01'")" "$kept" "rollups of a month dropped by hand kept"
sql "INSERT INTO dropped_months (table_name, month) VALUES ('access_logs', '2026-03-01'); INSERT INTO rollup_dirty_days (job_name, day) VALUES ('ogc', '2026-03-28')" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-04-02 12:00' --json rollup --job ogc
grep -q '"skipped":\["2026-03-28"\]' "$WORK/out" || fail "dropped day: $(cat "$WORK/out")"
expect_eq "$(sql "SELECT sum(nb_req) FROM ogc_summary_daily WHERE bucket_daily < '2026-04-01'")" "$kept" "rollups of a dropped month kept"
expect_eq "$(sql "SELECT count(*) FROM rollup_dirty_days")" "0" "dirty mark of a dropped day cleared"

# A failing job is reported (exit 1) and the others still run.
sql "ALTER TABLE daily_api_usage_metrics ADD CONSTRAINT simulated_failure CHECK (requests_count < 0) NOT VALID" >/dev/null
add_requests '2026-04-02 00:00' '2026-04-02 23:59' 0.9 apr
expect_status 1 "$ANALYTICS" --now '2026-04-03 12:00' --json rollup
python3 - "$WORK/out" <<'PY'
import json, sys
jobs = {j["job"]: j for j in json.load(open(sys.argv[1]))["jobs"]}
assert jobs["api_usage"]["error"] and "simulated_failure" in jobs["api_usage"]["error"], jobs["api_usage"]
assert jobs["api_usage"]["checkpoint"] == "2026-04-01", jobs["api_usage"]
assert jobs["ogc"]["error"] is None and jobs["ogc"]["checkpoint"] == "2026-04-02", jobs["ogc"]
PY
expect_status 64 "$ANALYTICS" rollup --from 2026-04-01
echo "ok"
