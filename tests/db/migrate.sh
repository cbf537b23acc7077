#!/usr/bin/env bash
# migrate: creates the whole data model, is idempotent, safe when concurrent.
. "$(dirname "$0")/lib.sh"
# The embedded migrations: how many, and the last one's number (sql/NNNN_name.sql).
migrations=$(ls "$(dirname "$0")"/../../sql/[0-9][0-9][0-9][0-9]_*.sql)
count=$(wc -l <<<"$migrations")
latest=$(basename "$(tail -1 <<<"$migrations")" | cut -c1-4 | sed 's/^0*//')

# Four migrations at once on a brand-new home: the cluster is created once,
# the schema once (the lock file and the advisory lock serialise them).
for i in 1 2 3 4; do "$ANALYTICS" migrate >"$WORK/m$i.out" 2>"$WORK/m$i.err" & done
for job in $(jobs -p); do wait "$job" || fail "a concurrent migrate failed: $(cat "$WORK"/m*.err)"; done
expect_eq "$(grep -l "migrated from version 0 to $latest" "$WORK"/m*.out | wc -l)" "1" \
    "exactly one run applied the migration"
expect_eq "$(sql "SELECT count(*) FROM schema_migrations")" "$count" "schema_migrations rows"

# The data model of SPEC §3.
tables=$(sql "SELECT string_agg(c.relname || ':' || c.relkind::text || c.relpersistence::text, ' ' ORDER BY c.relname)
              FROM pg_class c WHERE c.relnamespace = 'analytics'::regnamespace AND c.relkind IN ('r','p')")
expect_eq "$tables" "access_logs:pp daily_access_summary:rp daily_api_usage_metrics:rp daily_country_summary:rp daily_resource_metrics:rp daily_search_metrics:rp dataapi_summary_daily:rp dataapi_summary_hourly:rp dataapi_summary_monthly:rp dropped_months:rp events:pp ingest_registry:rp ingest_registry_files:rp ingest_rejects:rp maintenance_state:rp monthly_access_summary:rp monthly_country_summary:rp ogc_summary_daily:rp ogc_summary_hourly:rp ogc_summary_monthly:rp opentelemetry_buffer:rp rollup_dirty_days:rp schema_migrations:rp search_impressions:pp searches:pp settings:rp visitor_salts:rp" "tables"
expect_eq "$(sql "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                  FROM pg_attribute WHERE attrelid = 'opentelemetry_buffer'::regclass AND attnum > 0")" \
    "timestamp timestamp with time zone, span_id text, trace_id text, message text, attributes jsonb, resources jsonb, scope jsonb, source_type text, severity_text text, severity_number integer, observed_timestamp timestamp with time zone, flags integer, dropped_attributes_count integer" \
    "opentelemetry_buffer columns (Vector/geOrchestra)"
expect_eq "$(sql "SELECT pg_get_partkeydef('access_logs'::regclass)")" "RANGE (ts)" "access_logs partition key"
expect_eq "$(sql "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'access_logs_pkey'")" \
    "PRIMARY KEY (ts, id)" "access_logs identity"
expect_eq "$(sql "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'search_impressions_identity'")" \
    "UNIQUE NULLS NOT DISTINCT (search_id, resource_id, rank, page, view, occurred_at)" "impressions identity"
expect_eq "$(sql "SELECT timezone FROM settings")" "UTC" "settings row"

# A Vector postgres sink inserts like this; it must keep working.
sql "INSERT INTO opentelemetry_buffer SELECT * FROM jsonb_populate_recordset(NULL::opentelemetry_buffer,
     '[{\"timestamp\":\"2025-12-17T13:19:38.491768632Z\",\"span_id\":\"45873ade9fe6c6ea\",\"message\":\"m\",
        \"attributes\":{\"http.request.path\":\"/geoserver/psc/wms\"},\"scope\":{\"name\":\"org.georchestra.gateway.accesslog\"},
        \"source_type\":\"opentelemetry\",\"unknown_field\":1}]')" >/dev/null
expect_eq "$(sql "SELECT span_id FROM opentelemetry_buffer")" "45873ade9fe6c6ea" "Vector-style insert"

# Idempotent: a second run changes nothing.
before=$(schema_snapshot)
expect_status 0 "$ANALYTICS" migrate
grep -q "is up to date (version $latest)" "$WORK/out" || fail "second migrate: $(cat "$WORK/out")"
[ -s "$WORK/err" ] && fail "migrate wrote to stderr: $(cat "$WORK/err")"
expect_eq "$(schema_snapshot)" "$before" "schema after a second migrate"
expect_eq "$(sql "SELECT count(*) FROM schema_migrations")" "$count" "schema_migrations rows after re-run"
expect_status 0 "$ANALYTICS" migrate --dry-run
grep -q "nothing to apply" "$WORK/out" || fail "dry-run on a current schema: $(cat "$WORK/out")"
expect_status 0 "$ANALYTICS" migrate --json
grep -q "\"to_version\": $latest" "$WORK/out" || fail "migrate --json: $(cat "$WORK/out")"

# An external database (any --db) is never migrated implicitly, and an
# out-of-date schema is refused with 78.
socket="$ANALYTICS_HOME/pg/run"
ext="host=$socket user=analytics dbname=postgres"
expect_status 78 "$ANALYTICS" --db "$ext" size-report
grep -q "run 'analytics migrate'" "$WORK/err" || fail "missing-schema message: $(cat "$WORK/err")"
[ -s "$WORK/out" ] && fail "a failed size-report wrote to stdout"
expect_status 0 "$ANALYTICS" --db "$ext" migrate --dry-run
grep -q "CREATE TABLE access_logs" "$WORK/out" || fail "dry-run does not print the SQL"
expect_eq "$("$ANALYTICS" db psql -X -At -d "$ext" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics'" 2>/dev/null || sql "SELECT 'skip'")" "0" \
    "dry-run created nothing"
expect_status 0 env DATABASE_URL="postgresql:///postgres?host=$socket&user=analytics" "$ANALYTICS" migrate
grep -q "migrated from version 0 to $latest" "$WORK/out" || fail "migrate through DATABASE_URL"
expect_status 0 "$ANALYTICS" --db "$ext" size-report

# A schema that lacks a migration below its version (made by a build whose
# sql/ skipped that number) is out of date too.
ext_sql() { "$ANALYTICS" db psql -X -v ON_ERROR_STOP=1 -At -d "$ext" -c "$1"; }
row2=$(ext_sql "SELECT name || ',' || checksum FROM analytics.schema_migrations WHERE version = 2")
ext_sql "DELETE FROM analytics.schema_migrations WHERE version = 2" >/dev/null
expect_status 78 "$ANALYTICS" --db "$ext" size-report
grep -q "lacks migration 2, older than its version $latest: run 'analytics migrate'" "$WORK/err" ||
    fail "schema lacking a migration: $(cat "$WORK/err")"
ext_sql "INSERT INTO analytics.schema_migrations (version, name, checksum)
         VALUES (2, '${row2%%,*}', '${row2#*,}')" >/dev/null
expect_status 0 "$ANALYTICS" --db "$ext" size-report

# A configurable schema; the time zone cannot change once recorded.
printf 'timezone: Europe/Paris\ndatabase:\n  schema: "Stats 2"\n' > "$WORK/paris.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/paris.yaml" migrate
expect_eq "$(sql "SELECT timezone FROM \"Stats 2\".settings")" "Europe/Paris" "timezone recorded"
expect_eq "$(sql "SELECT to_regclass('\"Stats 2\".access_logs') IS NOT NULL")" "t" "tables in the configured schema"
printf 'timezone: America/Chicago\ndatabase:\n  schema: "Stats 2"\n' > "$WORK/chicago.yaml"
expect_status 78 "$ANALYTICS" --config "$WORK/chicago.yaml" size-report
grep -q 'built for "Europe/Paris"' "$WORK/err" || fail "timezone change message: $(cat "$WORK/err")"
expect_status 78 "$ANALYTICS" --config "$WORK/chicago.yaml" migrate

# A schema holding another tool's access_logs (geOrchestra's, without
# TimescaleDB here): refused with the way out, and left exactly as it was
# (migrate --adopt must find it untouched).
sql "CREATE SCHEMA foreign_logs; CREATE TABLE foreign_logs.access_logs (id text, ts timestamptz)" >/dev/null
printf 'database:\n  schema: foreign_logs\n' > "$WORK/foreign.yaml"
for dry in "" --dry-run; do
    expect_status 78 "$ANALYTICS" --config "$WORK/foreign.yaml" migrate $dry
    grep -q "already has an access_logs table not made by analytics.*analytics migrate --adopt" "$WORK/err" ||
        fail "migrate $dry of a foreign schema: $(cat "$WORK/err")"
done
expect_eq "$(sql "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relnamespace = 'foreign_logs'::regnamespace")" \
    "access_logs" "the foreign schema after migrate"
echo "ok"
