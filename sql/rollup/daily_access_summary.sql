-- parameters: start end day zone patterns placeholders
-- Replaces a day of daily_access_summary: $1, $2 its bounds (local midnights), $3 the day, $4
-- the time zone of its hours, $5 and $6 the endpoint templates (rollup.endpoint_templates).
-- Every level from the raw rows: a percentile of one level cannot be made of another's.
WITH replaced AS (
    DELETE FROM daily_access_summary
    WHERE metric_date = $3::date
), requests AS (
    SELECT a.app_name, a.request_details->>'service' AS service,
           a.request_details->>'layers' AS layers, t.endpoint,
           extract(hour FROM a.ts AT TIME ZONE $4::text)::smallint AS hour_of_day,
           a.visitor_key, a.response_size, a.response_time, a.status_code
    FROM access_logs a
    LEFT JOIN (
        -- Each distinct path templated once, not once per request.
        SELECT request_path, endpoint_template(request_path, $5::text[], $6::text[]) AS endpoint
        FROM (SELECT DISTINCT request_path FROM access_logs
              WHERE ts >= $1::timestamptz AND ts < $2::timestamptz) AS paths
    ) AS t USING (request_path)
    WHERE a.ts >= $1::timestamptz AND a.ts < $2::timestamptz
)
INSERT INTO daily_access_summary (
    metric_date, level, app_name, service, layers, endpoint, hour_of_day, requests, visitors,
    bytes_sent, response_time_p50, response_time_p95, response_time_p99, status_4xx, status_5xx)
SELECT $3::date,
       CASE GROUPING(app_name, service, layers, endpoint, hour_of_day)
           WHEN 31 THEN 'total' WHEN 15 THEN 'app' WHEN 7 THEN 'service' WHEN 3 THEN 'layer'
           WHEN 13 THEN 'endpoint' WHEN 30 THEN 'hour' END,
       app_name, service, layers, endpoint, hour_of_day, count(*), count(DISTINCT visitor_key),
       sum(response_size),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY response_time),
       count(*) FILTER (WHERE status_code BETWEEN 400 AND 499),
       count(*) FILTER (WHERE status_code BETWEEN 500 AND 599)
FROM requests
GROUP BY GROUPING SETS ((), (app_name), (app_name, service), (app_name, service, layers),
                        (app_name, endpoint), (hour_of_day))
