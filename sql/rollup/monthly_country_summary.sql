-- parameters: start end day
-- Replaces a month of monthly_country_summary from its raw rows: $1, $2 its bounds (local
-- midnights), $3 its first day. No visitors: a visitor's key changes every day.
WITH replaced AS (
    DELETE FROM monthly_country_summary
    WHERE metric_month = $3::date
)
INSERT INTO monthly_country_summary (metric_month, app_name, country_code, requests, visitors)
SELECT $3::date, app_name, country_code, count(*), NULL
FROM access_logs
WHERE ts >= $1::timestamptz AND ts < $2::timestamptz AND country_code IS NOT NULL
GROUP BY app_name, country_code
