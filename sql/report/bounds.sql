-- The first and last day rolled up (min and max read the indexes), counting
-- the months still rolled up when their days are not (daily rows pruned).
SELECT min(first)::text, max(last)::text
FROM (
    SELECT min(metric_date)::date AS first, max(metric_date)::date AS last
    FROM daily_api_usage_metrics
    UNION ALL
    SELECT min(bucket_daily)::date, max(bucket_daily)::date FROM ogc_summary_daily
    UNION ALL
    SELECT min(metric_date)::date, max(metric_date)::date FROM daily_search_metrics
    UNION ALL
    SELECT min(bucket_monthly)::date, (max(bucket_monthly) + interval '1 month')::date - 1
    FROM ogc_summary_monthly
) AS spans
