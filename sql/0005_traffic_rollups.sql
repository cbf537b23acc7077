-- analytics schema, version 5: visitors without addresses, volume, latency,
-- errors and bounded API endpoints in the rollups (SPEC §9 "Fresh and rich",
-- issue 17).

-- A keyed hash of (client address, user agent, server address) under a
-- secret salt of the row's local day (lib/analytics/enrich/visitor_key.hpp),
-- computed at ingest before the address is dropped or truncated.
ALTER TABLE access_logs ADD COLUMN visitor_key text;
COMMENT ON COLUMN access_logs.visitor_key IS
    'Visitor of the day: SipHash-2-4 of client address, user agent and server address under the secret salt of the local day (16 hex digits); NULL without a client address. Not linkable to an address or to other days once the salt is deleted';

-- The secret salts, one per local day, shared by every writer so that
-- concurrent ingests give a visitor the same key. Deleted by rollup and
-- maintain once the day after is over: the keys then lead nowhere.
CREATE TABLE visitor_salts (
    day        date        PRIMARY KEY,
    salt       bytea       NOT NULL CHECK (octet_length(salt) = 16),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE visitor_salts IS
    'Secret daily salts of access_logs.visitor_key; each deleted once the day after its day is over';
COMMENT ON COLUMN visitor_salts.day IS 'Local day (configured time zone) whose rows the salt keys';
COMMENT ON COLUMN visitor_salts.salt IS '16 random bytes, the SipHash key';
COMMENT ON COLUMN visitor_salts.created_at IS 'When the first writer of the day created it';

-- Bytes served in geOrchestra's OGC summaries (their other columns stay as
-- geOrchestra's Superset dashboard reads them).
ALTER TABLE ogc_summary_hourly ADD COLUMN bytes_sent numeric;
ALTER TABLE ogc_summary_daily ADD COLUMN bytes_sent numeric;
ALTER TABLE ogc_summary_monthly ADD COLUMN bytes_sent numeric;
COMMENT ON COLUMN ogc_summary_hourly.bytes_sent IS
    'Sum of response_size (bytes) of the requests of the row; NULL when none had a size';
COMMENT ON COLUMN ogc_summary_daily.bytes_sent IS
    'Sum of response_size (bytes) of the requests of the row; NULL when none had a size';
COMMENT ON COLUMN ogc_summary_monthly.bytes_sent IS
    'Sum of response_size (bytes) of the requests of the row; NULL when none had a size';

-- Every request (OGC or not) of a local day, summed at several levels in
-- one table: the percentiles of a level cannot be made from another's, so
-- each level is computed from the raw rows (GROUPING SETS).
CREATE TABLE daily_access_summary (
    metric_date       date             NOT NULL,
    level             text             NOT NULL,
    app_name          text,
    service           text,
    layers            text,
    endpoint          text,
    hour_of_day       smallint,
    requests          bigint           NOT NULL,
    visitors          bigint,
    bytes_sent        numeric,
    response_time_p50 double precision,
    response_time_p95 double precision,
    response_time_p99 double precision,
    status_4xx        bigint           NOT NULL,
    status_5xx        bigint           NOT NULL,
    updated_at        timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX daily_access_summary_date_idx ON daily_access_summary (metric_date, level);

-- The same for a complete local month, from its raw rows (a percentile of
-- a month cannot be made of daily percentiles).
CREATE TABLE monthly_access_summary (LIKE daily_access_summary INCLUDING DEFAULTS);
ALTER TABLE monthly_access_summary RENAME COLUMN metric_date TO metric_month;
CREATE INDEX monthly_access_summary_month_idx ON monthly_access_summary (metric_month, level);

COMMENT ON TABLE daily_access_summary IS
    'Every request of a local day, at the level named by "level"; written by the rollup job access';
COMMENT ON TABLE monthly_access_summary IS
    'Every request of a complete local month, at the level named by "level", from the raw rows; written by the rollup job access';
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['daily_access_summary', 'monthly_access_summary'] LOOP
        EXECUTE format($c$
            COMMENT ON COLUMN %1$I.level IS 'What the row sums: total (every request), app (per app_name), service (per app_name and OGC service), layer (per app_name, service and layers), endpoint (per app_name and templated endpoint), hour (per local hour_of_day). Columns outside the level are NULL';
            COMMENT ON COLUMN %1$I.app_name IS 'Application (access_logs.app_name) at levels app, service, layer and endpoint';
            COMMENT ON COLUMN %1$I.service IS 'OGC service (request_details service, e.g. WMS) at levels service and layer; NULL for requests that are not OGC';
            COMMENT ON COLUMN %1$I.layers IS 'OGC layers as requested (request_details layers) at level layer';
            COMMENT ON COLUMN %1$I.endpoint IS 'Request path with ids, UUIDs, hashes and tile z/x/y replaced by placeholders (rollup.endpoint_templates) at level endpoint';
            COMMENT ON COLUMN %1$I.hour_of_day IS 'Local hour 0-23 (in the configured time zone) at level hour';
            COMMENT ON COLUMN %1$I.requests IS 'Number of requests';
            COMMENT ON COLUMN %1$I.visitors IS 'Distinct access_logs.visitor_key (daily only: keys change every day, so monthly rows leave it NULL)';
            COMMENT ON COLUMN %1$I.bytes_sent IS 'Sum of response_size (bytes); NULL when no request had a size';
            COMMENT ON COLUMN %1$I.response_time_p50 IS 'Median response time (ms), percentile_cont over the raw rows';
            COMMENT ON COLUMN %1$I.response_time_p95 IS '95th percentile of response time (ms), percentile_cont over the raw rows';
            COMMENT ON COLUMN %1$I.response_time_p99 IS '99th percentile of response time (ms), percentile_cont over the raw rows';
            COMMENT ON COLUMN %1$I.status_4xx IS 'Requests answered with a status 400-499';
            COMMENT ON COLUMN %1$I.status_5xx IS 'Requests answered with a status 500-599';
            COMMENT ON COLUMN %1$I.updated_at IS 'When the row was written';
        $c$, t);
    END LOOP;
END
$$;
COMMENT ON COLUMN daily_access_summary.metric_date IS 'Local day (configured time zone)';
COMMENT ON COLUMN monthly_access_summary.metric_month IS 'First local day of the month';

-- A request path with its variable parts replaced, for rollups whose rows
-- would otherwise be one per tile or id: each pattern (a PostgreSQL regular
-- expression) in order, every match replaced by its placeholder (which may
-- name groups as \1). The raw path stays in access_logs.request_path.
CREATE FUNCTION endpoint_template(path text, patterns text[], placeholders text[])
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    i integer;
BEGIN
    IF path IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. coalesce(array_length(patterns, 1), 0) LOOP
        path := regexp_replace(path, patterns[i], placeholders[i], 'g');
    END LOOP;
    RETURN path;
END
$$;
COMMENT ON FUNCTION endpoint_template(text, text[], text[]) IS
    'A request path with every match of each pattern replaced by its placeholder, in order';
COMMENT ON COLUMN daily_api_usage_metrics.endpoint IS
    'Request path templated (rollup.endpoint_templates: ids, UUIDs, hashes, tile z/x/y as placeholders); days rolled up before schema version 5 keep raw paths until rolled up again';
