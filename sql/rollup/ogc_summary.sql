-- parameters: start end zone
-- one statement per period: hourly daily monthly
-- Replaces the buckets of ogc_summary_{period} in [$1, $2) (hours of a day, a day, or a month from
-- its raw rows, as a median cannot be made of daily medians); $3 the time zone of the buckets.
-- geOrchestra's dimensions and measures over the OGC requests of [$1, $2).
WITH replaced AS (
    DELETE FROM ogc_summary_{period}
    WHERE bucket_{period} >= $1::timestamptz AND bucket_{period} < $2::timestamptz
)
INSERT INTO ogc_summary_{period} (
    bucket_{period}, app_id, app_name, user_name, org_name, request_method, status_code,
    server_address, workspaces, layers, service, request, tiled, is_download, download_format,
    user_agent_family, referrer, nb_req, response_time_median, response_time_min,
    response_time_max, bytes_sent)
SELECT bucket, app_id, app_name, user_name, org_name, request_method, status_code,
       server_address, workspaces, layers, service, request, tiled, is_download, download_format,
       user_agent_family, referrer, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time), min(response_time),
       max(response_time), sum(response_size)
FROM (
    SELECT date_trunc('{unit}', ts, $3::text) AS bucket, app_id, app_name, user_name, org_name, request_method,
           status_code, server_address, request_details->>'workspaces' AS workspaces,
           request_details->>'layers' AS layers, request_details->>'service' AS service,
           request_details->>'request' AS request, request_details->>'tiled' AS tiled,
           request_details->>'is_download' AS is_download,
           request_details->>'download_format' AS download_format, user_agent_family, referrer,
           response_time, response_size
    FROM access_logs
    WHERE ts >= $1::timestamptz AND ts < $2::timestamptz
      AND request_details->'tags' @> '["ogc"]'
) AS ogc
GROUP BY bucket, app_id, app_name, user_name, org_name, request_method, status_code,
         server_address, workspaces, layers, service, request, tiled, is_download,
         download_format, user_agent_family, referrer
