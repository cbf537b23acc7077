-- parameters: start end day
-- Replaces a day of daily_search_metrics: $1, $2 its bounds (local midnights), $3 the day.
-- Impressions are counted per search, from the same day.
WITH replaced AS (
    DELETE FROM daily_search_metrics
    WHERE metric_date = $3::date
), shown AS (
    SELECT search_id, count(*) AS n
    FROM search_impressions
    WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
    GROUP BY search_id
)
INSERT INTO daily_search_metrics (
    metric_date, client_name, client_channel, source_host, view, search_field, sort,
    searches_count, zero_results_count, total_results_count, total_impressions_count)
SELECT $3::date, s.client_name, s.client_channel, s.source_host, s.view, s.search_field, s.sort,
       count(*), count(*) FILTER (WHERE s.zero_results), coalesce(sum(s.results_count), 0),
       coalesce(sum(shown.n), 0)
FROM searches s LEFT JOIN shown USING (search_id)
WHERE s.occurred_at >= $1::timestamptz AND s.occurred_at < $2::timestamptz
GROUP BY s.client_name, s.client_channel, s.source_host, s.view, s.search_field, s.sort
