-- parameters: from to app
-- Every request of the local days $1 .. $2 from daily_access_summary: level
-- total, or level app for application $3 when not empty. Visitors are the
-- distinct visitors of each day added up (keys change every day). Pruned
-- days have no daily rows: they are not counted.
SELECT coalesce(sum(requests), 0), coalesce(sum(visitors), 0), sum(bytes_sent)::text,
       coalesce(sum(status_4xx), 0), coalesce(sum(status_5xx), 0), count(DISTINCT metric_date)
FROM daily_access_summary
WHERE metric_date BETWEEN $1::date AND $2::date
  AND CASE WHEN $3 = '' THEN level = 'total' ELSE level = 'app' AND app_name = $3 END
