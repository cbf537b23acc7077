-- parameters: from to app workspace service
-- Requests and OGC requests per local day $1 .. $2; OGC requests only of
-- application $3, workspace $4, service $5 when not empty.
SELECT day::date::text, coalesce(a.n, 0), coalesce(o.n, 0)
FROM generate_series($1::date, $2::date, interval '1 day') AS day
LEFT JOIN (
    SELECT metric_date, sum(requests_count) AS n
    FROM daily_api_usage_metrics
    WHERE metric_date BETWEEN $1::date AND $2::date
    GROUP BY metric_date
) AS a ON a.metric_date = day::date
LEFT JOIN (
    SELECT bucket_daily::date AS metric_date, sum(nb_req) AS n
    FROM ogc_summary_daily AS o
    WHERE bucket_daily >= $1::date::timestamptz AND bucket_daily < ($2::date + 1)::timestamptz
      AND ogc_row_matches(o.app_name, o.workspaces, o.service, $3, $4, $5)
    GROUP BY bucket_daily::date
) AS o ON o.metric_date = day::date
ORDER BY day
