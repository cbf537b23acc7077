-- parameters: from to
-- Geoportal searches of the local days $1 .. $2.
SELECT coalesce(sum(searches_count), 0)
FROM daily_search_metrics
WHERE metric_date BETWEEN $1::date AND $2::date
