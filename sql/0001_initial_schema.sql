-- analytics schema, version 1: the whole data model of SPEC §3.
-- Runs with search_path set to the configured schema (default "analytics"),
-- so no name below is schema-qualified.

-- What Vector's `postgres` sink writes (geOrchestra's landing table, same
-- columns, UNLOGGED). Vector inserts with jsonb_populate_recordset over these
-- columns, so no column may be added here.
CREATE UNLOGGED TABLE opentelemetry_buffer (
    "timestamp"              timestamptz,
    span_id                  text,
    trace_id                 text,
    message                  text,
    attributes               jsonb,
    resources                jsonb,
    scope                    jsonb,
    source_type              text,
    severity_text            text,
    severity_number          integer,
    observed_timestamp       timestamptz,
    flags                    integer,
    dropped_attributes_count integer
);
-- `process` drains the buffer oldest first.
CREATE INDEX opentelemetry_buffer_timestamp_idx ON opentelemetry_buffer ("timestamp");

-- One row per HTTP request, monthly partitions on ts (created by
-- ensure-partitions, and by ingest for any month it meets).
CREATE TABLE access_logs (
    id                   text        NOT NULL,
    ts                   timestamptz NOT NULL,
    message              text,
    app_id               text,
    app_path             text,
    app_name             text,
    user_id              text,
    user_name            text,
    org_id               text,
    org_name             text,
    roles                text[],
    auth_method          text,
    request_method       text,
    request_path         text,
    request_query_string text,
    request_details      jsonb,
    response_time        integer,
    response_size        bigint,
    status_code          integer,
    client_ip            text,
    server_address       text,
    context_data         jsonb,
    api_key_id           bigint,
    tier_id              integer,
    visit_token          text,
    user_agent           text,
    user_agent_family    text,
    user_agent_version   text,
    os_family            text,
    os_version           text,
    device_family        text,
    device_brand         text,
    device_model         text,
    device_type          text,
    referrer             text,
    referring_domain     text,
    source_host          text,
    utm_source           text,
    utm_medium           text,
    utm_term             text,
    utm_content          text,
    utm_campaign         text,
    client_name          text,
    client_version       text,
    client_channel       text,
    client_instance      text,
    -- (ts, id) identifies a request: nothing is stored twice. The index also
    -- serves time-range scans (rollups filter on ts).
    CONSTRAINT access_logs_pkey PRIMARY KEY (ts, id)
) PARTITION BY RANGE (ts);

-- Geoportal beacon tables (BTAA). Identity keys include the partition key, so
-- a re-sent beacon is recognised; no separate partition_month column.
CREATE TABLE searches (
    search_id       varchar(64)  NOT NULL,
    occurred_at     timestamptz  NOT NULL,
    visit_token     varchar(255),
    client_name     varchar(100),
    client_version  varchar(100),
    client_channel  varchar(50),
    client_instance varchar(100),
    source_host     varchar(255),
    query           text,
    search_url      text,
    view            varchar(50),
    page            integer,
    per_page        integer,
    sort            varchar(100),
    search_field    varchar(100),
    results_count   bigint       NOT NULL DEFAULT 0,
    total_pages     integer,
    zero_results    boolean      NOT NULL DEFAULT false,
    properties      jsonb,
    CONSTRAINT searches_identity UNIQUE (search_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX searches_occurred_at_idx ON searches (occurred_at);
CREATE INDEX searches_visit_token_idx ON searches (visit_token);

CREATE TABLE search_impressions (
    search_id   varchar(64)  NOT NULL,
    occurred_at timestamptz  NOT NULL,
    visit_token varchar(255),
    resource_id varchar(255) NOT NULL,
    rank        integer      NOT NULL,
    page        integer,
    view        varchar(50),
    properties  jsonb,
    -- NULLS NOT DISTINCT: an impression without page or view is still
    -- recognised when re-sent (the BTAA original stored those twice).
    CONSTRAINT search_impressions_identity
        UNIQUE NULLS NOT DISTINCT (search_id, resource_id, rank, page, view, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX search_impressions_occurred_at_idx ON search_impressions (occurred_at);
CREATE INDEX search_impressions_resource_id_idx ON search_impressions (resource_id);

CREATE TABLE events (
    event_id         varchar(64)  NOT NULL,
    occurred_at      timestamptz  NOT NULL,
    event_type       varchar(100) NOT NULL,
    visit_token      varchar(255),
    search_id        varchar(64),
    resource_id      varchar(255),
    client_name      varchar(100),
    client_version   varchar(100),
    client_channel   varchar(50),
    client_instance  varchar(100),
    source_host      varchar(255),
    rank             integer,
    page             integer,
    view             varchar(50),
    label            varchar(255),
    destination_url  text,
    source_component varchar(100),
    properties       jsonb,
    CONSTRAINT events_identity UNIQUE (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_occurred_at_idx ON events (occurred_at);
CREATE INDEX events_event_type_idx ON events (event_type);
CREATE INDEX events_resource_id_idx ON events (resource_id);

-- Rollups of completed periods. The ogc_summary_* tables keep geOrchestra's
-- names and columns, so its Superset dashboard reads them unchanged. Each
-- period is replaced as a whole (delete + insert), so no synthetic key.
CREATE TABLE ogc_summary_hourly (
    bucket_hourly        timestamptz NOT NULL,
    app_id               text,
    app_name             text,
    user_name            text,
    org_name             text,
    request_method       text,
    status_code          integer,
    server_address       text,
    workspaces           text,
    layers               text,
    service              text,
    request              text,
    tiled                text,
    is_download          text,
    download_format      text,
    user_agent_family    text,
    referrer             text,
    nb_req               bigint      NOT NULL,
    response_time_median double precision,
    response_time_min    integer,
    response_time_max    integer
);
CREATE INDEX ogc_summary_hourly_bucket_idx ON ogc_summary_hourly (bucket_hourly);

CREATE TABLE ogc_summary_daily (
    bucket_daily         timestamptz NOT NULL,
    app_id               text,
    app_name             text,
    user_name            text,
    org_name             text,
    request_method       text,
    status_code          integer,
    server_address       text,
    workspaces           text,
    layers               text,
    service              text,
    request              text,
    tiled                text,
    is_download          text,
    download_format      text,
    user_agent_family    text,
    referrer             text,
    nb_req               bigint      NOT NULL,
    response_time_median double precision,
    response_time_min    integer,
    response_time_max    integer
);
CREATE INDEX ogc_summary_daily_bucket_idx ON ogc_summary_daily (bucket_daily);

CREATE TABLE ogc_summary_monthly (
    bucket_monthly       timestamptz NOT NULL,
    app_id               text,
    app_name             text,
    user_name            text,
    org_name             text,
    request_method       text,
    status_code          integer,
    server_address       text,
    workspaces           text,
    layers               text,
    service              text,
    request              text,
    tiled                text,
    is_download          text,
    download_format      text,
    user_agent_family    text,
    referrer             text,
    nb_req               bigint      NOT NULL,
    response_time_median double precision,
    response_time_min    integer,
    response_time_max    integer
);
CREATE INDEX ogc_summary_monthly_bucket_idx ON ogc_summary_monthly (bucket_monthly);

CREATE TABLE daily_api_usage_metrics (
    metric_date          date          NOT NULL,
    endpoint             text,
    method               text,
    status_code          integer,
    tier_id              integer,
    api_key_id           bigint,
    client_name          text,
    client_channel       text,
    source_host          text,
    requests_count       bigint        NOT NULL,
    unique_visits_count  bigint        NOT NULL,
    avg_response_time_ms numeric(14, 2),
    updated_at           timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX daily_api_usage_metrics_date_idx ON daily_api_usage_metrics (metric_date);

CREATE TABLE daily_search_metrics (
    metric_date             date        NOT NULL,
    client_name             text,
    client_channel          text,
    source_host             text,
    view                    text,
    search_field            text,
    sort                    text,
    searches_count          bigint      NOT NULL,
    zero_results_count      bigint      NOT NULL,
    total_results_count     bigint      NOT NULL,
    total_impressions_count bigint      NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX daily_search_metrics_date_idx ON daily_search_metrics (metric_date);

CREATE TABLE daily_resource_metrics (
    metric_date    date        NOT NULL,
    resource_id    text        NOT NULL,
    event_type     text        NOT NULL,
    client_name    text,
    client_channel text,
    source_host    text,
    event_count    bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX daily_resource_metrics_date_idx ON daily_resource_metrics (metric_date);
CREATE INDEX daily_resource_metrics_resource_idx ON daily_resource_metrics (resource_id);

-- Rollup checkpoints: the last completed local day rolled up, per job.
CREATE TABLE maintenance_state (
    job_name            text        PRIMARY KEY,
    last_processed_date date,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Completed days that received rows after they were rolled up.
CREATE TABLE rollup_dirty_days (
    job_name  text        NOT NULL,
    day       date        NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_name, day)
);

-- How far each input was ingested. An input is identified by its content
-- (a fingerprint of its first bytes), not by its path, so rotation
-- (access.log -> access.log.1 -> access.log.2.gz) keeps its identity.
CREATE TABLE ingest_registry (
    input_id        text        PRIMARY KEY,
    display_name    text        NOT NULL,
    format          text        NOT NULL,
    lines_consumed  bigint      NOT NULL DEFAULT 0,
    bytes_consumed  bigint      NOT NULL DEFAULT 0,
    records_stored  bigint      NOT NULL DEFAULT 0,
    first_ingested  timestamptz NOT NULL DEFAULT now(),
    last_ingested   timestamptz NOT NULL DEFAULT now()
);

-- Input that could not become a record, with the reason.
CREATE TABLE ingest_rejects (
    id          bigserial   PRIMARY KEY,
    rejected_at timestamptz NOT NULL DEFAULT now(),
    source      text        NOT NULL,
    line_number bigint,
    reason      text        NOT NULL,
    detail      text,
    raw         text
);
CREATE INDEX ingest_rejects_rejected_at_idx ON ingest_rejects (rejected_at);

-- One row: the time zone the partitions and rollups are built with.
CREATE TABLE settings (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    timezone   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
