-- parameters: start end day patterns placeholders
-- Replaces a day of daily_api_usage_metrics: $1, $2 its bounds (local midnights), $3 the day,
-- $4 and $5 the endpoint templates (rollup.endpoint_templates): one row per endpoint, not per
-- tile or id.
WITH replaced AS (
    DELETE FROM daily_api_usage_metrics
    WHERE metric_date = $3::date
)
INSERT INTO daily_api_usage_metrics (
    metric_date, endpoint, method, status_code, tier_id, api_key_id, client_name,
    client_channel, source_host, requests_count, unique_visits_count, avg_response_time_ms)
SELECT $3::date, endpoint, request_method, status_code, tier_id, api_key_id, client_name,
       client_channel, source_host, count(*), count(DISTINCT visit_token),
       round(avg(response_time)::numeric, 2)
FROM (
    SELECT t.endpoint, a.request_method, a.status_code, a.tier_id, a.api_key_id, a.client_name,
           a.client_channel, a.source_host, a.visit_token, a.response_time
    FROM access_logs a
    LEFT JOIN (
        -- Each distinct path templated once, not once per request.
        SELECT request_path, endpoint_template(request_path, $4::text[], $5::text[]) AS endpoint
        FROM (SELECT DISTINCT request_path FROM access_logs
              WHERE ts >= $1::timestamptz AND ts < $2::timestamptz) AS paths
    ) AS t USING (request_path)
    WHERE a.ts >= $1::timestamptz AND a.ts < $2::timestamptz
) AS api
GROUP BY endpoint, request_method, status_code, tier_id, api_key_id, client_name,
         client_channel, source_host
