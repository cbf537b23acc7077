-- parameters: start end zone
-- one statement per period: hourly daily monthly
-- Replaces the buckets of dataapi_summary_{period} in [$1, $2) (hours of a day, a day, or a month
-- from its raw rows, as percentiles cannot be made of daily ones); $3 the time zone of the buckets.
-- geOrchestra's data-API dimensions (102_analytics_datapi_views.sql) over the
-- requests of the 'dataapi' application in [$1, $2); its percentile_agg
-- sketch (timescaledb_toolkit) becomes exact percentiles of the raw rows.
WITH replaced AS (
    DELETE FROM dataapi_summary_{period}
    WHERE bucket_{period} >= $1::timestamptz AND bucket_{period} < $2::timestamptz
)
INSERT INTO dataapi_summary_{period} (
    bucket_{period}, user_name, org_name, request_method, status_code, layers, request,
    is_download, download_format, full_download, user_agent_family, nb_req, avg_time,
    response_time_median, response_time_p95, response_time_min, response_time_max)
SELECT bucket, user_name, org_name, request_method, status_code, layers, request, is_download,
       download_format, full_download, user_agent_family, count(*), avg(response_time),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time), min(response_time),
       max(response_time)
FROM (
    SELECT date_trunc('{unit}', ts, $3::text) AS bucket, user_name, org_name, request_method, status_code,
           request_details->>'layers' AS layers, request_details->>'request' AS request,
           request_details->>'is_download' AS is_download,
           request_details->>'download_format' AS download_format,
           request_details->>'full_download' AS full_download, user_agent_family, response_time
    FROM access_logs
    WHERE ts >= $1::timestamptz AND ts < $2::timestamptz
      AND app_name = 'dataapi'
) AS dataapi
GROUP BY bucket, user_name, org_name, request_method, status_code, layers, request, is_download,
         download_format, full_download, user_agent_family
