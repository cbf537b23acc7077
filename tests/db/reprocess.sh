#!/usr/bin/env bash
# process --reprocess: stored rows recomputed with the current configuration
# equal rows loaded with it; unchanged configuration, unchanged rows; the
# days are marked dirty for rollup (SPEC §2 `process`).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data/ingest
expect_status 0 "$ANALYTICS" migrate
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$WORK/out"; }

new_config='apps_mapping:
  /geoserver/: maps
  /mapstore/: viewer
data_privacy:
  keys_blacklist: [user_id, user_name]
  anonymize_ip: true'
printf '%s\n' "$new_config" > "$WORK/new.yaml"
printf '%s\ndatabase:\n  schema: ref\n' "$new_config" > "$WORK/ref.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" migrate

load() { # CONFIG: every golden input, then the sample logs
    local config=$1 f
    for f in "$DATA/combined.log" "$DATA/georchestra.log" "--format otel $DATA/otel.jsonl" \
             "--format otlp $DATA/otlp.json" "--format api-json $DATA/api.jsonl" \
             "$ROOT/examples/logs/access.log.gz" "--format otel $ROOT/examples/logs/gateway-otel.jsonl.gz"; do
        # shellcheck disable=SC2086
        expect_status 0 "$ANALYTICS" --config "$config" ingest --max-reject-ratio 1 $f
    done
}
printf 'data_privacy:\n  keys_blacklist: []\n' > "$WORK/old.yaml"
load "$WORK/old.yaml"
total=$(sql "SELECT count(*) FROM access_logs")

# The same configuration again: nothing changes.
expect_status 0 "$ANALYTICS" --config "$WORK/old.yaml" --json process --reprocess --from 2000-01-01 --to 2027-12-31
expect_eq "$(json_field '["rows"]'),$(json_field '["changed"]')" "$total,0" "reprocess with the same configuration"

# A dry run counts, changes nothing.
before=$(table_digest access_logs)
expect_status 0 "$ANALYTICS" --config "$WORK/new.yaml" --json process --reprocess --dry-run --from 2026-11-16 --to 2026-11-22
[ "$(json_field '["changed"]')" -gt 0 ] || fail "dry run found nothing to change"
expect_eq "$(table_digest access_logs)" "$before" "dry run changed rows"

# --app limits to one application (as stored); its days are marked dirty.
sql "INSERT INTO maintenance_state (job_name, last_processed_date) VALUES ('ogc', '2026-12-31')" >/dev/null
geoserver=$(sql "SELECT count(*) FROM access_logs WHERE app_name = 'geoserver' AND ts >= '2026-11-17' AND ts < '2026-11-18'")
expect_status 0 "$ANALYTICS" --config "$WORK/new.yaml" --json process --reprocess --from 2026-11-17 --to 2026-11-17 --app geoserver
[ "$geoserver" -gt 100 ] || fail "few geoserver rows: $geoserver"
expect_eq "$(json_field '["changed"]')" "$geoserver" "rows of one app on one day"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE app_name = 'maps'")" "$geoserver" "renamed app"
expect_eq "$(sql "SELECT string_agg(job_name || ' ' || day, ',') FROM rollup_dirty_days")" "ogc 2026-11-17" "dirty day"

# Everything with the new configuration equals loading with it.
expect_status 0 "$ANALYTICS" --config "$WORK/new.yaml" process --reprocess --from 2000-01-01 --to 2027-12-31
# Reprocess keeps each visitor key (its salt may be gone); the reference load
# gets the same keys from the same daily salts, as concurrent ingests do.
sql "INSERT INTO ref.visitor_salts SELECT * FROM analytics.visitor_salts" >/dev/null
load "$WORK/ref.yaml"
if [ "$(table_digest access_logs analytics)" != "$(table_digest access_logs ref)" ]; then
    sql "SELECT id, k, a.j->k, r.j->k FROM (SELECT x.id, to_jsonb(x) j FROM analytics.access_logs x) a JOIN (SELECT x.id, to_jsonb(x) j FROM ref.access_logs x) r USING (id), jsonb_object_keys(a.j) k WHERE a.j->k IS DISTINCT FROM r.j->k LIMIT 5" >&2
    fail "reprocessed rows differ from rows loaded with the new configuration"
fi
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE user_name IS NOT NULL OR client_ip LIKE '%.%.%.1__'")" "0" "privacy rules applied"

expect_status 64 "$ANALYTICS" process --reprocess --from 2026-03-02 --to 2026-03-01
expect_status 64 "$ANALYTICS" process --reprocess --from 2026-13-01 --to 2026-03-01
echo "ok"
