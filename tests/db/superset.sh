#!/usr/bin/env bash
# Superset dashboards against a migrated database with rows, as Superset
# would query it (superset_export.py): ours (examples/superset) and
# geOrchestra's "Usage statistics" export, read from ../shared when present
# (it is not copied into this repository). The virtual dataset of the
# report's figures is also compared with plain SQL over the raw rows.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
check_export() { python3 "$root/tests/db/superset_export.py" "$1"; }
# Countries (geoip.database) from the test database of documentation ranges,
# which the generated addresses use.
perl "$root/tests/data/geoip/write_country_db.pl" "$WORK/countries.mmdb"
printf 'timezone: Europe/Paris\ngeoip:\n  database: %s\n' "$WORK/countries.mmdb" > "$WORK/paris.yaml"
export ANALYTICS_CONFIG="$WORK/paris.yaml" ANALYTICS_NOW=2026-11-23T08:00:00+01:00 PGTZ=Europe/Paris

load_generated 2026-11-16 2026-11-23 60 5
# Data-API requests, as geOrchestra's gateway logs them under /data/.
sql "INSERT INTO analytics.access_logs (id, ts, app_id, app_name, request_method, status_code,
         request_path, request_details, response_time, user_agent_family)
     SELECT 'api' || g, timestamptz '2026-11-17 00:00' + g * interval '7 minutes', '/data/', 'dataapi',
            'GET', 200, '/data/ogcapi/collections/psc:rivers/items',
            jsonb_build_object('layers', 'psc:rivers', 'request', 'items', 'is_download', true,
                               'download_format', 'CSV', 'full_download', g % 3 = 0), g % 500, 'QGIS'
     FROM generate_series(1, 600) g" >/dev/null
expect_status 0 "$ANALYTICS" maintain

check_export "$root/examples/superset/analytics_dashboard" || fail "our dashboard export"
# Its report figures per day are the raw rows' (2026-11-16 .. 2026-11-22, rolled up).
sql_of() { python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sql"])' "$1"; }
daily=$(sql_of "$root/examples/superset/analytics_dashboard/datasets/analytics/analytics_requests_daily.yaml")
expect_eq "$(sql "SELECT string_agg(metric_date::date || ' ' || requests || ' ' || ogc_requests, ',' ORDER BY metric_date) FROM ($daily) q")" \
    "$(sql "SELECT string_agg(day || ' ' || n || ' ' || ogc, ',' ORDER BY day) FROM (
                SELECT (ts AT TIME ZONE 'Europe/Paris')::date AS day, count(*) AS n,
                       count(*) FILTER (WHERE request_details->'tags' @> '[\"ogc\"]') AS ogc
                FROM analytics.access_logs WHERE ts < '2026-11-23' GROUP BY 1) d")" \
    "requests per day in Superset against the raw rows"

# The traffic dashboard: every chart over daily_access_summary filters on one
# level (without it a day's requests count once per level), and its level
# 'total' rows are the raw rows' requests and distinct visitors per day.
python3 - "$root/examples/superset/analytics_dashboard" <<'PY' || fail "traffic charts without a level filter"
import pathlib, sys, yaml
root = pathlib.Path(sys.argv[1])
access = yaml.safe_load((root / "datasets/analytics/daily_access_summary.yaml").read_text())["uuid"]
charts = [yaml.safe_load(p.read_text()) for p in (root / "charts").glob("*.yaml")]
mine = [c for c in charts if c["dataset_uuid"] == access]
assert len(mine) >= 6, len(mine)
for c in mine:
    levels = [f for f in c["params"]["adhoc_filters"] if f.get("subject") == "level"]
    assert len(levels) == 1 and levels[0]["operator"] == "==", c["slice_name"]
PY
expect_eq "$(sql "SELECT string_agg(metric_date || ' ' || requests || ' ' || visitors, ',' ORDER BY metric_date)
               FROM analytics.daily_access_summary WHERE level = 'total'")" \
    "$(sql "SELECT string_agg(day || ' ' || n || ' ' || v, ',' ORDER BY day) FROM (
                SELECT (ts AT TIME ZONE 'Europe/Paris')::date AS day, count(*) AS n,
                       count(DISTINCT visitor_key) AS v
                FROM analytics.access_logs WHERE ts < '2026-11-23' GROUP BY 1) d")" \
    "requests and visitors per day of the traffic dashboard against the raw rows"

# The check fails on a dataset naming a column that is not there.
cp -r "$root/examples/superset/analytics_dashboard" "$WORK/broken"
sed -i 's/column_name: searches_count/column_name: searches_total/' \
    "$WORK/broken/datasets/analytics/daily_search_metrics.yaml"
if check_export "$WORK/broken" >"$WORK/broken.log" 2>&1; then fail "a missing column passed"; fi
grep -q "searches_total" "$WORK/broken.log" || fail "the missing column is not named: $(cat "$WORK/broken.log")"

georchestra=$root/../shared/vendor/georchestra-analytics/usage_statistics_dashboard.zip
if [ -f "$georchestra" ]; then
    check_export "$georchestra" || fail "geOrchestra's dashboard export"
else
    echo "SKIPPED: geOrchestra's dashboard ($georchestra is absent; CI has it)"
fi
echo "superset: ok"
