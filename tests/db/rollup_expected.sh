# What the rollup tables must hold, computed the plain way from the raw rows,
# and checks that compare them (EXCEPT ALL both ways). Set ROLLUP_TZ (the
# configured time zone) and source this after lib.sh.
: "${ROLLUP_TZ:?ROLLUP_TZ must name the configured time zone}"
ogc_dims="app_id, app_name, user_name, org_name, request_method, status_code, server_address,
    request_details->>'workspaces', request_details->>'layers', request_details->>'service',
    request_details->>'request', request_details->>'tiled', request_details->>'is_download',
    request_details->>'download_format', user_agent_family, referrer"
ogc_measures="count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time),
    min(response_time), max(response_time), sum(response_size)"
expected_daily="SELECT (ts AT TIME ZONE '$ROLLUP_TZ')::date::timestamp AT TIME ZONE '$ROLLUP_TZ', $ogc_dims, $ogc_measures
    FROM access_logs WHERE request_details->'tags' ? 'ogc' AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, $ogc_dims"
# (The zone is a whole number of hours from UTC: a local hour starts at a UTC hour.)
expected_hourly="SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', $ogc_dims, $ogc_measures
    FROM access_logs WHERE request_details->'tags' ? 'ogc' AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, $ogc_dims"
actual_ogc="app_id, app_name, user_name, org_name, request_method, status_code, server_address, workspaces,
    layers, service, request, tiled, is_download, download_format, user_agent_family, referrer, nb_req,
    response_time_median, response_time_min, response_time_max, bytes_sent"
# The configured endpoint templates as two arrays (the function that applies
# them is checked on its own in rollup_traffic.sh).
templates=$("$ANALYTICS" --json config show | python3 -c '
import json, sys
t = json.load(sys.stdin)["rollup"]["endpoint_templates"]
arr = lambda xs: "ARRAY[" + ",".join("$q$" + x + "$q$" for x in xs) + "]::text[]"
print(arr([x["pattern"] for x in t]) + ", " + arr([x["placeholder"] for x in t]))')
expected_api="SELECT (ts AT TIME ZONE '$ROLLUP_TZ')::date, endpoint_template(request_path, $templates), request_method, status_code, tier_id,
    api_key_id, client_name, client_channel, source_host, count(*), count(DISTINCT visit_token),
    round(avg(response_time), 2) FROM access_logs WHERE ts >= '{START}' AND ts < '{END}' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
actual_api="SELECT metric_date, endpoint, method, status_code, tier_id, api_key_id, client_name, client_channel,
    source_host, requests_count, unique_visits_count, avg_response_time_ms FROM daily_api_usage_metrics"
# Every request at each level of daily_access_summary, one plain GROUP BY per
# level.
access_measures="count(*), count(DISTINCT visitor_key), sum(response_size),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time),
    percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time),
    percentile_cont(0.99) WITHIN GROUP (ORDER BY response_time),
    count(*) FILTER (WHERE status_code >= 400 AND status_code < 500),
    count(*) FILTER (WHERE status_code >= 500 AND status_code < 600)"
access_level() { # PERIOD LEVEL APP SERVICE LAYERS ENDPOINT HOUR
    local group="1" c
    for c in "$3" "$4" "$5" "$6" "$7"; do [[ $c == NULL* ]] || group+=", $c"; done
    echo "SELECT $1, '$2', $3, $4, $5, $6, $7, $access_measures FROM access_logs
          WHERE ts >= '{START}' AND ts < '{END}' GROUP BY $group"
}
access_levels() { # PERIOD
    local s="request_details->>'service'" l="request_details->>'layers'"
    local e="endpoint_template(request_path, $templates)" h="extract(hour FROM ts AT TIME ZONE '$ROLLUP_TZ')::smallint"
    echo "SELECT * FROM ($(access_level "$1" total NULL::text NULL::text NULL::text NULL::text NULL::smallint)
    UNION ALL $(access_level "$1" app app_name NULL NULL NULL NULL)
    UNION ALL $(access_level "$1" service app_name "$s" NULL NULL NULL)
    UNION ALL $(access_level "$1" layer app_name "$s" "$l" NULL NULL)
    UNION ALL $(access_level "$1" endpoint app_name NULL NULL "$e" NULL)
    UNION ALL $(access_level "$1" hour NULL NULL NULL NULL "$h")) levels"
}
expected_access="$(access_levels "(ts AT TIME ZONE '$ROLLUP_TZ')::date")"
access_columns="level, app_name, service, layers, endpoint, hour_of_day, requests, visitors, bytes_sent,
    response_time_p50, response_time_p95, response_time_p99, status_4xx, status_5xx"
actual_access="SELECT metric_date, $access_columns FROM daily_access_summary"
# Requests and visitors per application and country (rows with a country).
country_levels() { # PERIOD VISITORS
    echo "SELECT $1, app_name, country_code, count(*), $2 FROM access_logs
          WHERE country_code IS NOT NULL AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, 2, 3"
}
actual_country="SELECT metric_date, app_name, country_code, requests, visitors FROM daily_country_summary"
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
    expect_eq "$(differences "$expected_access" "$actual_access WHERE metric_date >= '$1' AND metric_date < '$2'" "$1" "$2")" "0" "$3: daily_access_summary"
    [ "$(sql "SELECT count(*) FROM daily_access_summary WHERE metric_date >= '$1' AND metric_date < '$2'")" -gt 0 ] ||
        [ "$(sql "SELECT count(*) FROM access_logs WHERE ts >= '$1' AND ts < '$2'")" -eq 0 ] || fail "$3: no daily_access_summary rows"
    expect_eq "$(differences "$(country_levels "(ts AT TIME ZONE '$ROLLUP_TZ')::date" "count(DISTINCT visitor_key)")" "$actual_country WHERE metric_date >= '$1' AND metric_date < '$2'" "$1" "$2")" "0" "$3: daily_country_summary"
}
# check_month START END WHAT: the months of [START, END) (local month starts)
# in ogc_summary_monthly and monthly_access_summary (no visitors there).
check_month() {
    local ogc_monthly="SELECT date_trunc('month', ts AT TIME ZONE '$ROLLUP_TZ') AT TIME ZONE '$ROLLUP_TZ', $ogc_dims, $ogc_measures
        FROM access_logs WHERE request_details->'tags' ? 'ogc' AND ts >= '{START}' AND ts < '{END}' GROUP BY 1, $ogc_dims"
    local access_monthly
    access_monthly="$(access_levels "date_trunc('month', ts AT TIME ZONE '$ROLLUP_TZ')::date")"
    access_monthly=${access_monthly//count(DISTINCT visitor_key)/NULL::bigint}
    expect_eq "$(differences "$ogc_monthly" "SELECT bucket_monthly, $actual_ogc FROM ogc_summary_monthly WHERE bucket_monthly >= '$1' AND bucket_monthly < '$2'" "$1" "$2")" "0" "$3: ogc_summary_monthly"
    expect_eq "$(differences "$access_monthly" "SELECT metric_month, $access_columns FROM monthly_access_summary WHERE metric_month >= '$1' AND metric_month < '$2'" "$1" "$2")" "0" "$3: monthly_access_summary"
    expect_eq "$(differences "$(country_levels "date_trunc('month', ts AT TIME ZONE '$ROLLUP_TZ')::date" "NULL::bigint")" "SELECT metric_month, app_name, country_code, requests, visitors FROM monthly_country_summary WHERE metric_month >= '$1' AND metric_month < '$2'" "$1" "$2")" "0" "$3: monthly_country_summary"
}
# check_today START END WHAT: the hourly rows of today's completed hours
# [START, END) equal plain SQL, and none from END on.
check_today() {
    expect_eq "$(differences "$expected_hourly" "SELECT bucket_hourly, $actual_ogc FROM ogc_summary_hourly WHERE bucket_hourly >= '$1' AND bucket_hourly < '$2'" "$1" "$2")" "0" "$3: today's hours"
    expect_eq "$(sql "SELECT count(*) FROM ogc_summary_hourly WHERE bucket_hourly >= '$2'")" "0" "$3: no hour in progress"
}
