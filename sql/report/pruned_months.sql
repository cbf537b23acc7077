-- parameters: from to app workspace service
-- The months of the days $1 .. $2 that have lost daily rows: ogc_summary_monthly
-- is built from the same raw rows as ogc_summary_daily, so a month whose
-- monthly requests exceed the sum of its daily ones has lost daily rows, and
-- since pruning removes every day before a cutoff, the lost days are those
-- before its first daily row (in any daily table). Per month: its first and
-- last day, the OGC requests of the lost days (only of application $3,
-- workspace $4, service $5 when not empty), the first day still there.
SELECT m.first::text, m.last::text, coalesce(m.f, 0) - coalesce(d.f, 0),
       least(d.first,
             (SELECT min(metric_date) FROM daily_api_usage_metrics
              WHERE metric_date BETWEEN m.first AND m.last),
             (SELECT min(metric_date) FROM daily_search_metrics
              WHERE metric_date BETWEEN m.first AND m.last),
             (SELECT min(metric_date) FROM daily_resource_metrics
              WHERE metric_date BETWEEN m.first AND m.last))::text
FROM (
    SELECT first, last, sum(nb_req) AS n, sum(nb_req) FILTER (WHERE chosen) AS f
    FROM (
        SELECT bucket_monthly::date AS first,
               (bucket_monthly + interval '1 month')::date - 1 AS last, nb_req,
               ogc_row_matches(o.app_name, o.workspaces, o.service, $3, $4, $5) AS chosen
        FROM ogc_summary_monthly AS o
        WHERE bucket_monthly >= date_trunc('month', $1::date::timestamptz)
          AND bucket_monthly < ($2::date + 1)::timestamptz
    ) AS monthly
    GROUP BY first, last
) AS m
LEFT JOIN LATERAL (
    SELECT sum(nb_req) AS n, min(bucket_daily)::date AS first,
           sum(nb_req) FILTER (WHERE ogc_row_matches(o.app_name, o.workspaces, o.service, $3, $4, $5)) AS f
    FROM ogc_summary_daily AS o
    WHERE bucket_daily >= m.first::timestamptz AND bucket_daily < (m.last + 1)::timestamptz
) AS d ON true
WHERE m.n > coalesce(d.n, 0)
ORDER BY m.first
