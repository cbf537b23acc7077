#!/usr/bin/env bash
# Rollup and retention speed (SPEC §7), on the embedded database:
#  - `analytics rollup` of one day of N rows (jobs ogc and api_usage) beside
#    the same INSERT … SELECT … GROUP BY statements written by hand, run by
#    psql on the same rows into scratch tables; with 1 and with 12 months
#    stored (target: ratio <= 1.25, the same for both);
#  - dropping a month partition of M rows, by `analytics maintain` (target:
#    the same time whatever M).
#   bench/rollup.sh [DAY_ROWS...]   (default: 1000000 5000000)
#   DROP_ROWS="1000000 10000000" OTHER_MONTH_ROWS=300000 bench/rollup.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
day_rows=("${@:-1000000 5000000}")
read -r -a day_rows <<<"${day_rows[*]}"
read -r -a drop_rows <<<"${DROP_ROWS:-1000000 10000000}"
other_rows=${OTHER_MONTH_ROWS:-300000}
export ANALYTICS_CONFIG=/dev/null
psql_() { "$ANALYTICS" db psql -X -q -v ON_ERROR_STOP=1 "$@"; }
"$ANALYTICS" migrate >/dev/null
for m in 2025-12 2026-02 2026-04 2026-06 2026-08 2026-10; do
    "$ANALYTICS" --now "$m-15" ensure-partitions >/dev/null
done

# fill FROM N: N requests spread over the day (or month) starting at FROM.
fill() {
    psql_ -c "SELECT setseed(0.5);
    INSERT INTO analytics.access_logs (id, ts, app_id, app_name, user_name, org_name, request_method,
        status_code, server_address, request_path, request_details, response_time, user_agent_family,
        referrer, tier_id, client_name, source_host, visit_token)
    SELECT 'b' || g || '-' || extract(epoch FROM timestamptz '$1')::bigint,
           timestamptz '$1' + (g::float8 / $2) * interval '$3',
           '/geoserver/', 'geoserver', 'user' || (g % 300), 'ORG' || (g % 40), 'GET',
           (ARRAY[200, 200, 200, 404, 500])[1 + g % 5], 'geo.example.org',
           '/geoserver/wms',
           jsonb_build_object('service', 'WMS', 'request', 'getmap', 'layers', 'layer' || (g % 200),
                              'workspaces', 'ws' || (g % 20), 'tiled', g % 2 = 0,
                              'tags', jsonb_build_array('ogc')),
           ((g::bigint * 7919) % 2000)::int, (ARRAY['QGIS', 'Firefox', 'Chrome', 'ArcGIS Pro'])[1 + g % 4],
           'https://portal.example.org/p' || (g % 50), g % 3, 'web', 'portal.example.org',
           'v' || (g % 5000)
    FROM generate_series(1, $2) g" >/dev/null
}

# ogc_insert TABLE BUCKET DAY: the OGC rollup of DAY into TABLE, by BUCKET.
ogc_insert() {
    cat <<SQL
INSERT INTO $1 SELECT $2, app_id, app_name, user_name, org_name, request_method,
  status_code, server_address, request_details->>'workspaces', request_details->>'layers',
  request_details->>'service', request_details->>'request', request_details->>'tiled',
  request_details->>'is_download', request_details->>'download_format', user_agent_family, referrer,
  count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time), min(response_time), max(response_time),
  sum(response_size)
  FROM analytics.access_logs WHERE ts >= '$3' AND ts < timestamptz '$3' + interval '1 day'
  AND request_details->'tags' @> '["ogc"]' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17;
SQL
}

# The hand-written baseline: the statements of the two jobs for one day
# (bytes in the OGC tables, API endpoints templated with the default
# templates, each distinct path once).
baseline_sql() { # DAY
    cat <<SQL
-- Logged tables with the same indexes as the real ones: the same writes.
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_h, bench_d, bench_a;
CREATE TABLE bench_h (LIKE analytics.ogc_summary_hourly INCLUDING ALL);
CREATE TABLE bench_d (LIKE analytics.ogc_summary_daily INCLUDING ALL);
CREATE TABLE bench_a (LIKE analytics.daily_api_usage_metrics INCLUDING ALL);
\\timing on
$(ogc_insert bench_h "date_trunc('hour', ts, 'UTC')" "$1")
$(ogc_insert bench_d "timestamptz '$1'" "$1")
INSERT INTO bench_a (metric_date, endpoint, method, status_code, tier_id, api_key_id, client_name, client_channel,
  source_host, requests_count, unique_visits_count, avg_response_time_ms)
  SELECT '$1'::date, endpoint, request_method, status_code, tier_id, api_key_id, client_name,
  client_channel, source_host, count(*), count(DISTINCT visit_token), round(avg(response_time)::numeric, 2)
  FROM analytics.access_logs LEFT JOIN (
    SELECT request_path, regexp_replace(regexp_replace(regexp_replace(regexp_replace(request_path,
      '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}', '{uuid}', 'g'),
      '/(?:[^/]*:)?[0-9]+/[0-9]+/[0-9]+(\.[A-Za-z0-9]+)?$', '/{z}/{x}/{y}\1', 'g'),
      '/[0-9]+(?=/|$|\.[A-Za-z])', '/{id}', 'g'), '/[0-9A-Fa-f]{16,}(?=/|$|\.[A-Za-z])', '/{hash}', 'g') AS endpoint
    FROM (SELECT DISTINCT request_path FROM analytics.access_logs
          WHERE ts >= '$1' AND ts < timestamptz '$1' + interval '1 day') p) t USING (request_path)
  WHERE ts >= '$1' AND ts < timestamptz '$1' + interval '1 day'
  GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
SQL
}

# best of three, in seconds: baseline (sum of the statements' times) and analytics.
measure_day() { # DAY
    local best_b="" best_a="" b a t0 t1 i
    for i in 1 2 3; do
        b=$(baseline_sql "$1" | psql_ -f - | awk '/^Time:/ { s += $2 } END { printf "%.4f", s / 1000 }')
        t0=$(now_ns)
        "$ANALYTICS" --now "$(date -d "$1 + 1 day" +%F)T12:00:00Z" rollup --job ogc --from "$1" --to "$1" >/dev/null
        "$ANALYTICS" --now "$(date -d "$1 + 1 day" +%F)T12:00:00Z" rollup --job api_usage --from "$1" --to "$1" >/dev/null
        t1=$(now_ns)
        a=$(seconds "$t0" "$t1")
        best_b=$(awk -v x="$best_b" -v y="$b" 'BEGIN { print (x == "" || y < x) ? y : x }')
        best_a=$(awk -v x="$best_a" -v y="$a" 'BEGIN { print (x == "" || y < x) ? y : x }')
    done
    echo "$best_b $best_a"
}

printf '%-34s %12s %12s %8s\n' case baseline_s analytics_s ratio
for n in "${day_rows[@]}"; do
    [ "$n" = 0 ] && continue # bench/rollup.sh 0: retention only
    psql_ -c "TRUNCATE analytics.access_logs" >/dev/null
    fill '2026-11-10 00:00+00' "$n" '1 day'
    psql_ -c "VACUUM ANALYZE analytics.access_logs" >/dev/null
    read -r b a <<<"$(measure_day 2026-11-10)"
    printf '%-34s %12s %12s %8s\n' "one day of $n rows, 1 month" "$b" "$a" "$(ratio "$a" "$b")"
    for m in 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10; do
        fill "$m-01 00:00+00" "$other_rows" '27 days'
    done
    psql_ -c "VACUUM ANALYZE analytics.access_logs" >/dev/null
    read -r b a <<<"$(measure_day 2026-11-10)"
    printf '%-34s %12s %12s %8s\n' "one day of $n rows, 12 months" "$b" "$a" "$(ratio "$a" "$b")"
done

# Retention: drop a month of M rows (one row per column set kept small).
for m in "${drop_rows[@]}"; do
    # A month dropped by the previous round is not created again until forgotten.
    psql_ -c "TRUNCATE analytics.access_logs, analytics.maintenance_state, analytics.dropped_months" >/dev/null
    "$ANALYTICS" --now 2026-06-15 ensure-partitions >/dev/null
    psql_ -c "INSERT INTO analytics.access_logs (id, ts, request_path)
              SELECT 'r' || g, timestamptz '2026-06-01 00:00+00' + (g::float8 / $m) * interval '29 days', '/geoserver/wms'
              FROM generate_series(1, $m) g;
              INSERT INTO analytics.maintenance_state (job_name, last_processed_date)
              VALUES ('ogc', '2026-11-01'), ('api_usage', '2026-11-01')" >/dev/null
    psql_ -c "CHECKPOINT" >/dev/null
    t2=$(now_ns)
    "$ANALYTICS" --now 2026-11-02 --json maintain >"$ANALYTICS_HOME/maintain.json"
    t3=$(now_ns)
    gone=$(psql_ -At -c "SELECT to_regclass('analytics.access_logs_p202606') IS NULL")
    step=$(python3 -c 'import json,sys; print("%.4f" % [s["seconds"] for s in json.load(open(sys.argv[1]))["steps"] if s["step"] == "retention"][0])' "$ANALYTICS_HOME/maintain.json")
    printf '%-34s %12s %12s %8s\n' "drop a month of $m rows ($gone)" "-" "$step" "-"
    printf '%-34s %12s %12s %8s\n' "  (the whole maintain run)" "-" "$(seconds "$t2" "$t3")" "-"
done
echo "(baseline: psql's own timing of the hand-written statements; analytics: the whole"
echo " rollup commands, start-up and connection included; drop: maintain's retention step)"
