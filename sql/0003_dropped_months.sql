-- analytics schema, version 3: rollups are the permanent record (SPEC §9).

-- The raw months retention dropped, per table: a fact, not inferred from a
-- missing partition. A row for such a month is never stored raw (its
-- partition is never created again) and its days are never rolled up again:
-- their rollups are all that is left of them.
CREATE TABLE dropped_months (
    table_name text        NOT NULL,
    month      date        NOT NULL, -- the month's first local day
    dropped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, month)
);

-- Version 0.1 dropped months without saying so. A month that has rollup rows
-- but no raw partition had one, and retention dropped it.
DO $$
DECLARE
    tz text := coalesce((SELECT timezone FROM settings), 'UTC');
BEGIN
    INSERT INTO dropped_months (table_name, month)
    SELECT DISTINCT t.table_name, r.month
    FROM (
        SELECT date_trunc('month', metric_date)::date AS month, 'access' AS family
          FROM daily_api_usage_metrics
        UNION
        SELECT date_trunc('month', bucket_daily AT TIME ZONE tz)::date, 'access'
          FROM ogc_summary_daily
        UNION
        SELECT date_trunc('month', bucket_monthly AT TIME ZONE tz)::date, 'access'
          FROM ogc_summary_monthly
        UNION
        SELECT date_trunc('month', metric_date)::date, 'search' FROM daily_search_metrics
        UNION
        SELECT date_trunc('month', metric_date)::date, 'resource' FROM daily_resource_metrics
    ) r
    JOIN (VALUES ('access_logs', 'access'), ('searches', 'search'),
                 ('search_impressions', 'search'), ('events', 'resource'))
        AS t (table_name, family) USING (family)
    WHERE to_regclass(format('%I', t.table_name || '_p' || to_char(r.month, 'YYYYMM'))) IS NULL;
END
$$;
