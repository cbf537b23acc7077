-- analytics schema, version 7: countries without addresses (SPEC §9, issue
-- 17), optional: with geoip.database set, ingest and process look the client
-- address up in a MaxMind-format country database before the privacy rules
-- drop it (lib/analytics/enrich/geoip.hpp); the address itself is still not
-- stored by default.

ALTER TABLE access_logs ADD COLUMN country_code text;
COMMENT ON COLUMN access_logs.country_code IS
    'Country of the client address (ISO 3166-1 alpha-2, e.g. FR) from the geoip.database set at ingest; NULL without that setting, without an address, or for addresses the database does not place (private, reserved, unknown)';

-- Requests and visitors per local day, application and country, from the
-- raw rows with a country (requests without one are in daily_access_summary
-- only); written by the rollup job access with daily_access_summary.
CREATE TABLE daily_country_summary (
    metric_date  date        NOT NULL,
    app_name     text,
    country_code text        NOT NULL,
    requests     bigint      NOT NULL,
    visitors     bigint,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX daily_country_summary_date_idx ON daily_country_summary (metric_date);

-- The same for a complete local month, from its raw rows (no visitors: a
-- visitor's key changes every day, as in monthly_access_summary).
CREATE TABLE monthly_country_summary (LIKE daily_country_summary INCLUDING DEFAULTS);
ALTER TABLE monthly_country_summary RENAME COLUMN metric_date TO metric_month;
CREATE INDEX monthly_country_summary_month_idx ON monthly_country_summary (metric_month);

COMMENT ON TABLE daily_country_summary IS
    'Requests and visitors of a local day per application and country (rows with access_logs.country_code only); written by the rollup job access';
COMMENT ON TABLE monthly_country_summary IS
    'Requests of a complete local month per application and country (rows with access_logs.country_code only), from the raw rows; written by the rollup job access';
COMMENT ON COLUMN daily_country_summary.metric_date IS 'Local day (configured time zone)';
COMMENT ON COLUMN monthly_country_summary.metric_month IS 'First local day of the month';
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['daily_country_summary', 'monthly_country_summary'] LOOP
        EXECUTE format($c$
            COMMENT ON COLUMN %1$I.app_name IS 'Application (access_logs.app_name)';
            COMMENT ON COLUMN %1$I.country_code IS 'Country (access_logs.country_code, ISO 3166-1 alpha-2)';
            COMMENT ON COLUMN %1$I.requests IS 'Number of requests';
            COMMENT ON COLUMN %1$I.visitors IS 'Distinct access_logs.visitor_key (daily only: keys change every day, so monthly rows leave it NULL)';
            COMMENT ON COLUMN %1$I.updated_at IS 'When the row was written';
        $c$, t);
    END LOOP;
END
$$;
