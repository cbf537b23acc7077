-- parameters: from to
-- Requests and OGC requests per local day $1 .. $2.
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
    FROM ogc_summary_daily
    WHERE bucket_daily >= $1::date::timestamptz AND bucket_daily < ($2::date + 1)::timestamptz
    GROUP BY bucket_daily::date
) AS o ON o.metric_date = day::date
ORDER BY day
