-- parameters: start end day
-- Replaces a day of daily_resource_metrics: $1, $2 its bounds (local midnights), $3 the day.
WITH replaced AS (
    DELETE FROM daily_resource_metrics
    WHERE metric_date = $3::date
)
INSERT INTO daily_resource_metrics (
    metric_date, resource_id, event_type, client_name, client_channel, source_host, event_count)
SELECT $3::date, resource_id, event_type, client_name, client_channel, source_host, count(*)
FROM events
WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
  AND resource_id IS NOT NULL
GROUP BY resource_id, event_type, client_name, client_channel, source_host
