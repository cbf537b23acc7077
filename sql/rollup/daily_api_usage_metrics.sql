-- parameters: start end day
-- Replaces a day of daily_api_usage_metrics: $1, $2 its bounds (local midnights), $3 the day.
WITH replaced AS (
    DELETE FROM daily_api_usage_metrics
    WHERE metric_date = $3::date
)
INSERT INTO daily_api_usage_metrics (
    metric_date, endpoint, method, status_code, tier_id, api_key_id, client_name,
    client_channel, source_host, requests_count, unique_visits_count, avg_response_time_ms)
SELECT $3::date, request_path, request_method, status_code, tier_id, api_key_id, client_name,
       client_channel, source_host, count(*), count(DISTINCT visit_token),
       round(avg(response_time)::numeric, 2)
FROM access_logs
WHERE ts >= $1::timestamptz AND ts < $2::timestamptz
GROUP BY request_path, request_method, status_code, tier_id, api_key_id, client_name,
         client_channel, source_host
