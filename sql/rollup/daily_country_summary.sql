-- parameters: start end day
-- Replaces a day of daily_country_summary: $1, $2 its bounds (local midnights), $3 the day.
-- Rows without a country are left out: the day's total is in daily_access_summary.
WITH replaced AS (
    DELETE FROM daily_country_summary
    WHERE metric_date = $3::date
)
INSERT INTO daily_country_summary (metric_date, app_name, country_code, requests, visitors)
SELECT $3::date, app_name, country_code, count(*), count(DISTINCT visitor_key)
FROM access_logs
WHERE ts >= $1::timestamptz AND ts < $2::timestamptz AND country_code IS NOT NULL
GROUP BY app_name, country_code
