-- analytics schema, version 6: geOrchestra's remaining database objects (the
-- ogc_summary view, the data-API summaries) and a data dictionary: a comment
-- on every table, view and column, which `tools/data_dictionary.sh` turns into
-- doc/data-dictionary.md (tests/db/data_dictionary.sh keeps both in step and
-- fails on any column left without one).

-- geOrchestra's data-API continuous aggregates (102_analytics_datapi_views.sql)
-- as plain rollup tables written by the `dataapi` job (sql/rollup/dataapi_summary_*.sql).
-- timescaledb_toolkit's percentile sketches become exact percentiles of the
-- raw rows; the monthly table is computed from the raw rows of the month.
CREATE TABLE dataapi_summary_hourly (
    bucket_hourly        timestamptz NOT NULL,
    user_name            text,
    org_name             text,
    request_method       text,
    status_code          integer,
    layers               text,
    request              text,
    is_download          text,
    download_format      text,
    full_download        text,
    user_agent_family    text,
    nb_req               bigint      NOT NULL,
    avg_time             double precision,
    response_time_median double precision,
    response_time_p95    double precision,
    response_time_min    integer,
    response_time_max    integer
);
CREATE INDEX dataapi_summary_hourly_bucket_idx ON dataapi_summary_hourly (bucket_hourly);
CREATE TABLE dataapi_summary_daily (LIKE dataapi_summary_hourly);
ALTER TABLE dataapi_summary_daily RENAME COLUMN bucket_hourly TO bucket_daily;
CREATE INDEX dataapi_summary_daily_bucket_idx ON dataapi_summary_daily (bucket_daily);
CREATE TABLE dataapi_summary_monthly (LIKE dataapi_summary_hourly);
ALTER TABLE dataapi_summary_monthly RENAME COLUMN bucket_hourly TO bucket_monthly;
CREATE INDEX dataapi_summary_monthly_bucket_idx ON dataapi_summary_monthly (bucket_monthly);

-- geOrchestra's ogc_summary: the three OGC rollups in one relation, a period
-- column saying which. UNION ALL where geOrchestra wrote UNION: the rows of
-- one table are already distinct (one per group), those of two tables differ
-- by period, so the result is the same without a sort of every row.
CREATE VIEW ogc_summary AS
    SELECT 'hour'::text AS period, bucket_hourly AS bucket, app_id, app_name, user_name,
           org_name, request_method, status_code, server_address, workspaces, layers, service,
           request, tiled, is_download, download_format, user_agent_family, referrer, nb_req,
           response_time_median, response_time_min, response_time_max
    FROM ogc_summary_hourly
    UNION ALL
    SELECT 'day', bucket_daily, app_id, app_name, user_name, org_name, request_method,
           status_code, server_address, workspaces, layers, service, request, tiled,
           is_download, download_format, user_agent_family, referrer, nb_req,
           response_time_median, response_time_min, response_time_max
    FROM ogc_summary_daily
    UNION ALL
    SELECT 'month', bucket_monthly, app_id, app_name, user_name, org_name, request_method,
           status_code, server_address, workspaces, layers, service, request, tiled,
           is_download, download_format, user_agent_family, referrer, nb_req,
           response_time_median, response_time_min, response_time_max
    FROM ogc_summary_monthly;

-- Whether an OGC rollup row is one the report's filters keep (--app,
-- --workspace, --service; '' keeps all): the one definition sql/report/*.sql
-- uses. A workspace matches any of the row's comma-separated workspaces; a
-- service in any case.
CREATE FUNCTION ogc_row_matches(app_name text, workspaces text, service text,
                                want_app text, want_workspace text, want_service text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (want_app = '' OR app_name = want_app)
       AND (want_workspace = ''
            OR want_workspace = ANY (SELECT btrim(w) FROM unnest(string_to_array(workspaces, ',')) AS w))
       AND (want_service = '' OR upper(service) = upper(want_service))
$$;
COMMENT ON FUNCTION ogc_row_matches(text, text, text, text, text, text) IS 'Whether an OGC rollup row is kept by analytics report --app, --workspace, --service ('''' keeps all).';

-- The data dictionary. Columns shared by several tables are described once
-- per meaning, by the DO blocks at the end.

COMMENT ON TABLE opentelemetry_buffer IS 'Landing table of Vector''s postgres sink (geOrchestra''s, same columns): OpenTelemetry log records of the gateway, drained by analytics process into access_logs.';
COMMENT ON COLUMN opentelemetry_buffer."timestamp" IS 'When the request was logged (the record''s timestamp).';
COMMENT ON COLUMN opentelemetry_buffer.span_id IS 'OpenTelemetry span id: becomes access_logs.id.';
COMMENT ON COLUMN opentelemetry_buffer.trace_id IS 'OpenTelemetry trace id, kept in access_logs.context_data.';
COMMENT ON COLUMN opentelemetry_buffer.message IS 'The log record''s body.';
COMMENT ON COLUMN opentelemetry_buffer.attributes IS 'The log record''s attributes: the gateway''s request fields (path, method, status, user, organisation, ...).';
COMMENT ON COLUMN opentelemetry_buffer.resources IS 'The OpenTelemetry resource attributes (service name, host).';
COMMENT ON COLUMN opentelemetry_buffer.scope IS 'The instrumentation scope; its name becomes context_data.logger.';
COMMENT ON COLUMN opentelemetry_buffer.source_type IS 'Vector''s source type, kept in context_data.source_type.';
COMMENT ON COLUMN opentelemetry_buffer.severity_text IS 'Log severity as text (not used).';
COMMENT ON COLUMN opentelemetry_buffer.severity_number IS 'Log severity as a number (not used).';
COMMENT ON COLUMN opentelemetry_buffer.observed_timestamp IS 'When the collector observed the record (not used).';
COMMENT ON COLUMN opentelemetry_buffer.flags IS 'OpenTelemetry trace flags (not used).';
COMMENT ON COLUMN opentelemetry_buffer.dropped_attributes_count IS 'Attributes the sender dropped (not used).';

COMMENT ON TABLE access_logs IS 'One row per HTTP request, from every input format; monthly partitions on ts, dropped by retention once rolled up.';
COMMENT ON COLUMN access_logs.id IS 'The request''s id: the OpenTelemetry span id, or a hash of its log line and the line''s occurrence number; with ts, identifies the row.';
COMMENT ON COLUMN access_logs.ts IS 'When the request was made (the partition key).';
COMMENT ON COLUMN access_logs.message IS 'The log line or record body, secrets redacted.';
COMMENT ON COLUMN access_logs.app_id IS 'The application instance, from apps_mapping (its path, with the host under support_multiple_dn).';
COMMENT ON COLUMN access_logs.app_path IS 'The application''s path prefix, e.g. /geoserver/.';
COMMENT ON COLUMN access_logs.app_name IS 'The application (geoserver, mapserver, mapproxy, ogcserver, dataapi, ...): selects its processor.';
COMMENT ON COLUMN access_logs.user_id IS 'Authenticated user''s id; NULL when absent or removed by data_privacy.keys_blacklist.';
COMMENT ON COLUMN access_logs.user_name IS 'Authenticated user''s login; NULL when anonymous or removed by data_privacy.keys_blacklist.';
COMMENT ON COLUMN access_logs.org_id IS 'The user''s organisation id.';
COMMENT ON COLUMN access_logs.org_name IS 'The user''s organisation name.';
COMMENT ON COLUMN access_logs.roles IS 'The user''s roles (gateway records).';
COMMENT ON COLUMN access_logs.auth_method IS 'How the user authenticated (gateway records).';
COMMENT ON COLUMN access_logs.request_method IS 'HTTP method (GET, POST, ...).';
COMMENT ON COLUMN access_logs.request_path IS 'URL path, without the query string.';
COMMENT ON COLUMN access_logs.request_query_string IS 'URL query string, secret parameters redacted.';
COMMENT ON COLUMN access_logs.request_details IS 'What the application processor found: query parameters, service, request, layers, workspaces, tiled, is_download, download_format, full_download, tags (["ogc"] for OGC requests).';
COMMENT ON COLUMN access_logs.response_time IS 'Response time in milliseconds.';
COMMENT ON COLUMN access_logs.response_size IS 'Response size in bytes.';
COMMENT ON COLUMN access_logs.status_code IS 'HTTP status code.';
COMMENT ON COLUMN access_logs.client_ip IS 'Client address; NULL by default (data_privacy.keys_blacklist), truncated with anonymize_ip.';
COMMENT ON COLUMN access_logs.server_address IS 'The server that answered (host, or --extra server_address).';
COMMENT ON COLUMN access_logs.context_data IS 'Where the row came from: source_type (opentelemetry, access_log_file, api_log), source (the input), span_id, trace_id, logger.';
COMMENT ON COLUMN access_logs.api_key_id IS 'API key of the request (BTAA API logs).';
COMMENT ON COLUMN access_logs.tier_id IS 'API tier of the key (BTAA API logs).';
COMMENT ON COLUMN access_logs.visit_token IS 'Visit (session) token of a geoportal client.';
COMMENT ON COLUMN access_logs.user_agent IS 'The User-Agent header.';
COMMENT ON COLUMN access_logs.user_agent_family IS 'Browser or client family parsed from user_agent by uap-core (QGIS, ArcGIS Pro, Firefox, ...).';
COMMENT ON COLUMN access_logs.user_agent_version IS 'Client version parsed from user_agent.';
COMMENT ON COLUMN access_logs.os_family IS 'Operating system parsed from user_agent.';
COMMENT ON COLUMN access_logs.os_version IS 'Operating system version parsed from user_agent.';
COMMENT ON COLUMN access_logs.device_family IS 'Device parsed from user_agent.';
COMMENT ON COLUMN access_logs.device_brand IS 'Device brand parsed from user_agent.';
COMMENT ON COLUMN access_logs.device_model IS 'Device model parsed from user_agent.';
COMMENT ON COLUMN access_logs.device_type IS 'desktop, mobile, tablet or bot.';
COMMENT ON COLUMN access_logs.referrer IS 'The Referer header, secret parameters redacted.';
COMMENT ON COLUMN access_logs.referring_domain IS 'Host name of referrer.';
COMMENT ON COLUMN access_logs.source_host IS 'Host the request was addressed to (BTAA API logs).';
COMMENT ON COLUMN access_logs.utm_source IS 'utm_source campaign parameter of the URL.';
COMMENT ON COLUMN access_logs.utm_medium IS 'utm_medium campaign parameter of the URL.';
COMMENT ON COLUMN access_logs.utm_term IS 'utm_term campaign parameter of the URL.';
COMMENT ON COLUMN access_logs.utm_content IS 'utm_content campaign parameter of the URL.';
COMMENT ON COLUMN access_logs.utm_campaign IS 'utm_campaign campaign parameter of the URL.';

COMMENT ON TABLE searches IS 'Geoportal searches sent as beacons (BTAA), monthly partitions on occurred_at.';
COMMENT ON COLUMN searches.search_id IS 'The search''s id from the client; with occurred_at, identifies the row.';
COMMENT ON COLUMN searches.query IS 'What was searched for.';
COMMENT ON COLUMN searches.search_url IS 'URL of the results page.';
COMMENT ON COLUMN searches.sort IS 'Sort order chosen.';
COMMENT ON COLUMN searches.search_field IS 'Field searched in (all fields, title, ...).';
COMMENT ON COLUMN searches.results_count IS 'Results found.';
COMMENT ON COLUMN searches.total_pages IS 'Pages of results.';
COMMENT ON COLUMN searches.zero_results IS 'True when nothing was found.';
COMMENT ON COLUMN searches.per_page IS 'Results per page.';

COMMENT ON TABLE search_impressions IS 'Results shown for a search, one row per result and rank (BTAA), monthly partitions on occurred_at.';
COMMENT ON COLUMN search_impressions.search_id IS 'The search that showed the result (searches.search_id).';
COMMENT ON COLUMN search_impressions.rank IS 'Position of the result in the list.';

COMMENT ON TABLE events IS 'Geoportal product events sent as beacons (BTAA): clicks, views, downloads of resources; monthly partitions on occurred_at.';
COMMENT ON COLUMN events.event_id IS 'The event''s id from the client; with occurred_at, identifies the row.';
COMMENT ON COLUMN events.event_type IS 'What happened (click, view, download, ...).';
COMMENT ON COLUMN events.search_id IS 'The search the event followed, if any.';
COMMENT ON COLUMN events.rank IS 'Rank of the resource in that search''s results.';
COMMENT ON COLUMN events.label IS 'The element''s label.';
COMMENT ON COLUMN events.destination_url IS 'Where the event led.';
COMMENT ON COLUMN events.source_component IS 'The page component that sent the event.';

COMMENT ON TABLE ogc_summary_hourly IS 'OGC requests per local hour and dimension (geOrchestra''s continuous aggregate, same name and columns), written by the ogc rollup job.';
COMMENT ON TABLE ogc_summary_daily IS 'OGC requests per local day and dimension (geOrchestra''s, same name and columns), written by the ogc rollup job.';
COMMENT ON TABLE ogc_summary_monthly IS 'OGC requests per local month and dimension (geOrchestra''s, same name and columns), computed from the month''s raw rows once it is complete.';
COMMENT ON VIEW ogc_summary IS 'geOrchestra''s ogc_summary: the hourly, daily and monthly OGC rollups in one relation, period saying which.';
COMMENT ON COLUMN ogc_summary.period IS 'hour, day or month: the rollup the row comes from.';
COMMENT ON COLUMN ogc_summary.bucket IS 'Start of the period (local time).';
COMMENT ON COLUMN ogc_summary_hourly.bucket_hourly IS 'Start of the local hour.';
COMMENT ON COLUMN ogc_summary_daily.bucket_daily IS 'Local midnight starting the day.';
COMMENT ON COLUMN ogc_summary_monthly.bucket_monthly IS 'Local midnight starting the month.';
COMMENT ON COLUMN dataapi_summary_hourly.bucket_hourly IS 'Start of the local hour.';
COMMENT ON COLUMN dataapi_summary_daily.bucket_daily IS 'Local midnight starting the day.';
COMMENT ON COLUMN dataapi_summary_monthly.bucket_monthly IS 'Local midnight starting the month.';
COMMENT ON TABLE dataapi_summary_hourly IS 'Requests of the data API (app_name dataapi) per local hour and dimension: geOrchestra''s dataapi_summary_hourly without timescaledb_toolkit, written by the dataapi rollup job.';
COMMENT ON TABLE dataapi_summary_daily IS 'Requests of the data API per local day and dimension (geOrchestra''s dataapi_summary_daily), written by the dataapi rollup job.';
COMMENT ON TABLE dataapi_summary_monthly IS 'Requests of the data API per local month and dimension (geOrchestra''s dataapi_summary_monthly), computed from the month''s raw rows once it is complete.';

COMMENT ON TABLE daily_api_usage_metrics IS 'Every request (OGC or not) per local day, endpoint, method, status and client (BTAA''s analytics_daily_api_usage_metrics), written by the api_usage rollup job.';
COMMENT ON COLUMN daily_api_usage_metrics.endpoint IS 'Request path (access_logs.request_path).';
COMMENT ON COLUMN daily_api_usage_metrics.method IS 'HTTP method.';
COMMENT ON COLUMN daily_api_usage_metrics.requests_count IS 'Requests of the group.';
COMMENT ON COLUMN daily_api_usage_metrics.unique_visits_count IS 'Distinct visit tokens among them.';
COMMENT ON COLUMN daily_api_usage_metrics.avg_response_time_ms IS 'Mean response time in milliseconds.';

COMMENT ON TABLE daily_search_metrics IS 'Geoportal searches per local day and dimension (BTAA''s analytics_daily_search_metrics), written by the search rollup job.';
COMMENT ON COLUMN daily_search_metrics.search_field IS 'Field searched in.';
COMMENT ON COLUMN daily_search_metrics.sort IS 'Sort order chosen.';
COMMENT ON COLUMN daily_search_metrics.searches_count IS 'Searches of the group.';
COMMENT ON COLUMN daily_search_metrics.zero_results_count IS 'Searches that found nothing.';
COMMENT ON COLUMN daily_search_metrics.total_results_count IS 'Results found, summed over the searches.';
COMMENT ON COLUMN daily_search_metrics.total_impressions_count IS 'Results shown (search_impressions rows) for those searches.';

COMMENT ON TABLE daily_resource_metrics IS 'Geoportal events per local day, resource and event type (BTAA''s analytics_daily_resource_metrics), written by the resource rollup job.';
COMMENT ON COLUMN daily_resource_metrics.event_count IS 'Events of the group.';

COMMENT ON TABLE maintenance_state IS 'Rollup checkpoints: per job, the last completed local day rolled up.';
COMMENT ON COLUMN maintenance_state.job_name IS 'The rollup job (ogc, api_usage, search, resource, dataapi).';
COMMENT ON COLUMN maintenance_state.last_processed_date IS 'Last local day rolled up; the next run starts the day after.';

COMMENT ON TABLE rollup_dirty_days IS 'Completed days that received rows after they were rolled up: the next rollup recomputes them.';
COMMENT ON COLUMN rollup_dirty_days.job_name IS 'The rollup job whose day it is.';
COMMENT ON COLUMN rollup_dirty_days.day IS 'The local day to roll up again.';
COMMENT ON COLUMN rollup_dirty_days.marked_at IS 'When a late row marked it.';

COMMENT ON TABLE ingest_registry IS 'How far each input was loaded, identified by its content (a fingerprint of its first line), so rotation keeps its identity and nothing is loaded twice.';
COMMENT ON COLUMN ingest_registry.input_id IS 'The input''s identity: a hash of its first line (and --extra fields).';
COMMENT ON COLUMN ingest_registry.display_name IS 'The path or name it was last loaded under.';
COMMENT ON COLUMN ingest_registry.format IS 'Its input format (combined, otel, api-json, ...).';
COMMENT ON COLUMN ingest_registry.lines_consumed IS 'Complete lines loaded.';
COMMENT ON COLUMN ingest_registry.bytes_consumed IS 'Uncompressed bytes of those lines.';
COMMENT ON COLUMN ingest_registry.records_stored IS 'Rows stored from it.';
COMMENT ON COLUMN ingest_registry.first_ingested IS 'When it was first loaded.';
COMMENT ON COLUMN ingest_registry.last_ingested IS 'When it was last loaded.';
COMMENT ON COLUMN ingest_registry.prefix_hash IS 'Running hash of the loaded lines: a replaced file with the same first line is read again.';
COMMENT ON COLUMN ingest_registry.completed IS 'True when the input was loaded to its end.';

COMMENT ON TABLE ingest_registry_files IS 'Files known to be loaded to their end, by a signature of their raw bytes, so they are skipped unread.';
COMMENT ON COLUMN ingest_registry_files.input_id IS 'The input (ingest_registry.input_id).';
COMMENT ON COLUMN ingest_registry_files.compressed IS 'True for the compressed (.gz) file of the input.';
COMMENT ON COLUMN ingest_registry_files.signature IS 'Size and hashes of the first and last 64 KiB.';
COMMENT ON COLUMN ingest_registry_files.recorded_at IS 'When the signature was recorded.';

COMMENT ON TABLE ingest_rejects IS 'Input that could not become a row, with the reason; recorded once per input line.';
COMMENT ON COLUMN ingest_rejects.id IS 'Sequence number.';
COMMENT ON COLUMN ingest_rejects.rejected_at IS 'When it was rejected.';
COMMENT ON COLUMN ingest_rejects.source IS 'The input it came from (path, stdin, opentelemetry_buffer).';
COMMENT ON COLUMN ingest_rejects.line_number IS 'Its line number in the input.';
COMMENT ON COLUMN ingest_rejects.reason IS 'Why it was rejected (a short code).';
COMMENT ON COLUMN ingest_rejects.detail IS 'The reason in words.';
COMMENT ON COLUMN ingest_rejects.raw IS 'The rejected text, secrets redacted, cut to 4,096 characters.';
COMMENT ON COLUMN ingest_rejects.input_id IS 'The registered input (ingest_registry.input_id), if any.';

COMMENT ON TABLE settings IS 'One row: the time zone the partitions and rollups are built with.';
COMMENT ON COLUMN settings.singleton IS 'Always true: there is one row.';
COMMENT ON COLUMN settings.timezone IS 'IANA time zone of local days, hours and months.';
COMMENT ON COLUMN settings.created_at IS 'When the schema was created.';

COMMENT ON TABLE dropped_months IS 'Raw months dropped by retention, per table: their rollups are all that is left, never recomputed.';
COMMENT ON COLUMN dropped_months.table_name IS 'The raw table.';
COMMENT ON COLUMN dropped_months.month IS 'The month''s first local day.';
COMMENT ON COLUMN dropped_months.dropped_at IS 'When it was dropped.';

-- Columns of one meaning in several tables.
DO $$
DECLARE
    c record;
    shared constant jsonb := jsonb_build_object(
        'visit_token', 'Visit (session) token of the geoportal client.',
        'client_name', 'The client application that sent the request or beacon.',
        'client_version', 'Its version.',
        'client_channel', 'Its release channel (production, staging, ...).',
        'client_instance', 'Its instance (deployment).',
        'source_host', 'Host the client ran on.',
        'view', 'Results view (list, gallery, map, ...).',
        'page', 'Page of results.',
        'properties', 'Other fields of the beacon, as sent.',
        'occurred_at', 'When it happened (the partition key).',
        'resource_id', 'The resource (record) concerned.',
        'metric_date', 'The local day.',
        'updated_at', 'When the row was last written.',
        'tier_id', 'API tier of the key.',
        'api_key_id', 'API key.',
        'status_code', 'HTTP status code.',
        'event_type', 'What happened (click, view, download, ...).',
        -- geOrchestra's rollup dimensions and measures
        'app_id', 'The application instance (access_logs.app_id).',
        'app_name', 'The application (access_logs.app_name).',
        'user_name', 'User''s login; NULL when anonymous or not kept.',
        'org_name', 'User''s organisation.',
        'request_method', 'HTTP method.',
        'server_address', 'The server that answered.',
        'workspaces', 'Workspaces of the layers, comma-separated (request_details.workspaces).',
        'layers', 'Layers or collections requested, comma-separated (request_details.layers).',
        'service', 'OGC service (WMS, WFS, WMTS, WCS, OGCAPI, ...).',
        'request', 'OGC request (GetMap, GetFeature, items, ...).',
        'tiled', 'true when a tiled request (request_details.tiled).',
        'is_download', 'true when a data download (request_details.is_download).',
        'download_format', 'Format of the download (Shapefile, CSV, GeoJSON, ...).',
        'full_download', 'true when the whole collection was asked for (limit=-1).',
        'user_agent_family', 'Client family (QGIS, ArcGIS Pro, Firefox, ...).',
        'referrer', 'The Referer header.',
        'nb_req', 'Requests of the group.',
        'avg_time', 'Mean response time in milliseconds.',
        'response_time_median', 'Median response time in milliseconds.',
        'response_time_p95', '95th percentile of response time in milliseconds.',
        'response_time_min', 'Fastest response time in milliseconds.',
        'response_time_max', 'Slowest response time in milliseconds.');
BEGIN
    FOR c IN
        SELECT a.attrelid::regclass AS rel, a.attname AS name
        FROM pg_attribute a
        JOIN pg_class k ON k.oid = a.attrelid
        WHERE k.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
          AND k.relkind IN ('r', 'p', 'v') AND NOT k.relispartition
          AND a.attnum > 0 AND NOT a.attisdropped
          AND col_description(a.attrelid, a.attnum) IS NULL
          AND shared ? a.attname
    LOOP
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', c.rel, c.name, shared ->> c.name);
    END LOOP;
END
$$;

COMMENT ON TABLE schema_migrations IS 'The migrations applied (sql/NNNN_*.sql), written by analytics migrate.';
COMMENT ON COLUMN schema_migrations.version IS 'The migration''s number.';
COMMENT ON COLUMN schema_migrations.name IS 'Its file name.';
COMMENT ON COLUMN schema_migrations.checksum IS 'Hash of its text: a changed migration is refused.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.';
