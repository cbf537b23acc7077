# What the rollup tables must hold, computed the plain way from the raw rows,
# and checks that compare them (EXCEPT ALL both ways). Set ROLLUP_TZ (the
# configured time zone) and source this after lib.sh.
: "${ROLLUP_TZ:?ROLLUP_TZ must name the configured time zone}"
ogc_dims="app_id, app_name, user_name, org_name, request_method, status_code, server_address,
    request_details->>'workspaces', request_details->>'layers', request_details->>'service',
    request_details->>'request', request_details->>'tiled', request_details->>'is_download',
    request_details->>'download_format', user_agent_family, referrer"
ogc_measures="count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time),
    min(response_time), max(response_time)"
expected_daily="SELECT (ts AT TIME ZONE '$ROLLUP_TZ')::date::timestamp AT TIME ZONE '$ROLLUP_TZ', $ogc_dims, $ogc_measures
    FROM access_logs WHERE request_details->'tags' ? 'ogc' AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, $ogc_dims"
# (The zone is a whole number of hours from UTC: a local hour starts at a UTC hour.)
expected_hourly="SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', $ogc_dims, $ogc_measures
    FROM access_logs WHERE request_details->'tags' ? 'ogc' AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, $ogc_dims"
actual_ogc="app_id, app_name, user_name, org_name, request_method, status_code, server_address, workspaces,
    layers, service, request, tiled, is_download, download_format, user_agent_family, referrer, nb_req,
    response_time_median, response_time_min, response_time_max"
expected_api="SELECT (ts AT TIME ZONE '$ROLLUP_TZ')::date, request_path, request_method, status_code, tier_id,
    api_key_id, client_name, client_channel, source_host, count(*), count(DISTINCT visit_token),
    round(avg(response_time), 2) FROM access_logs WHERE ts >= '{START}' AND ts < '{END}' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
actual_api="SELECT metric_date, endpoint, method, status_code, tier_id, api_key_id, client_name, client_channel,
    source_host, requests_count, unique_visits_count, avg_response_time_ms FROM daily_api_usage_metrics"
# differences EXPECTED ACTUAL START END: rows in one and not the other.
differences() {
    local expected=${1//\{START\}/$3}
    expected=${expected//\{END\}/$4}
    sql "SELECT count(*) FROM (($expected EXCEPT ALL $2) UNION ALL ($2 EXCEPT ALL $expected)) d"
}
check_all() { # START END (local, END exclusive) WHAT
    expect_eq "$(differences "$expected_daily" "SELECT bucket_daily, $actual_ogc FROM ogc_summary_daily WHERE bucket_daily >= '$1' AND bucket_daily < '$2'" "$1" "$2")" "0" "$3: ogc_summary_daily"
    expect_eq "$(differences "$expected_hourly" "SELECT bucket_hourly, $actual_ogc FROM ogc_summary_hourly WHERE bucket_hourly >= '$1' AND bucket_hourly < '$2'" "$1" "$2")" "0" "$3: ogc_summary_hourly"
    expect_eq "$(differences "$expected_api" "$actual_api WHERE metric_date >= '$1' AND metric_date < '$2'" "$1" "$2")" "0" "$3: daily_api_usage_metrics"
}
