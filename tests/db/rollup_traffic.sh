#!/usr/bin/env bash
# Issue 17, the data side: the hourly rollup holds today's completed hours
# after each rollup and process run (and the whole day once it completes);
# visitor keys instead of addresses, agreed by concurrent ingests, their
# salts destroyed; bytes, percentiles, 4xx/5xx, hour of day and visitors per
# level in daily/monthly_access_summary; templated API endpoints. Every
# figure equal to plain SQL over the raw rows (rollup_expected.sh).
. "$(dirname "$0")/lib.sh"
printf 'timezone: Europe/Paris\n' > "$WORK/paris.yaml"
export ANALYTICS_CONFIG="$WORK/paris.yaml"
export PGTZ=Europe/Paris
expect_status 0 "$ANALYTICS" migrate
ROLLUP_TZ=Europe/Paris
. "$(dirname "$0")/rollup_expected.sh"
json() { python3 -c 'import json,sys; print(eval("json.load(open(sys.argv[1]))" + sys.argv[2]))' "$WORK/out" "$1"; }
gen() { # FROM TO SEED FILE
    "$ANALYTICS" generate --format georchestra --from "$1" --to "$2" --rate 400 --seed "$3" -o "$4"
}

# 1. Endpoint templates: ids, UUIDs, hashes and tile z/x/y become placeholders.
while IFS='|' read -r path expected; do
    expect_eq "$(sql "SELECT coalesce(endpoint_template(\$p\$$path\$p\$, $templates), 'NULL')")" "$expected" "template of $path"
done <<'CASES'
/geoserver/gwc/service/tms/1.0.0/psc:roads@EPSG:900913@png/12/2048/1361.png|/geoserver/gwc/service/tms/1.0.0/psc:roads@EPSG:900913@png/{z}/{x}/{y}.png
/geoserver/gwc/service/wmts/rest/psc:roads/default/EPSG:3857/EPSG:3857:12/1361/2048|/geoserver/gwc/service/wmts/rest/psc:roads/default/EPSG:3857/{z}/{x}/{y}
/api/records/12345|/api/records/{id}
/api/records/12345/attachments/678.json|/api/records/{id}/attachments/{id}.json
/geonetwork/srv/api/records/3f1a9c2e-1b2c-4d5e-8f90-0123456789ab/formatters/xml|/geonetwork/srv/api/records/{uuid}/formatters/xml
/files/0cc175b9c0f1b6a831c399e269772661/x|/files/{hash}/x
/geoserver/gwc/service/tms/1.0.0|/geoserver/gwc/service/tms/1.0.0
/geoserver/wms|/geoserver/wms
CASES

# 2. Two ingests at once of the same days: every visitor has one key a day
# (one salt per day, whoever made it), no address is stored.
gen 2026-10-30T00:00:00Z 2026-11-12T12:00:00Z 1 "$WORK/a.log"
gen 2026-11-10T00:00:00Z 2026-11-12T12:00:00Z 2 "$WORK/b.log"
export ANALYTICS_NOW='2026-11-12 05:20:00+01'
"$ANALYTICS" ingest -q "$WORK/a.log" > "$WORK/a.out" 2>&1 &
a=$!
"$ANALYTICS" ingest -q "$WORK/b.log" > "$WORK/b.out" 2>&1 || fail "ingest b: $(cat "$WORK/b.out")"
wait $a || fail "ingest a: $(cat "$WORK/a.out")"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE client_ip IS NOT NULL")" "0" "no address stored"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE visitor_key !~ '^[0-9a-f]{16}$'")" "0" "keys of 16 hex digits"
visitors_of_logs() { # the distinct (address, user agent) per local day, from the log lines
    python3 - "$@" <<'PY'
import re, sys, collections, datetime, zoneinfo
paris = zoneinfo.ZoneInfo("Europe/Paris")
days, both = collections.defaultdict(set), collections.defaultdict(list)
for i, path in enumerate(sys.argv[1:]):
    for line in open(path):
        m = re.match(r'(\S+) \S+ \S+ \[([^\]]+)\] "(?:[^"\\]|\\.)*" \S+ \S+ "(?:[^"\\]|\\.)*" "((?:[^"\\]|\\.)*)"', line)
        ip, when, agent = m.groups()
        day = datetime.datetime.strptime(when, "%d/%b/%Y:%H:%M:%S %z").astimezone(paris).date()
        if ip != "-":
            days[day].add((ip, agent))
            both[(day, ip, agent)].append(i)
print(" ".join(f"{d}:{len(v)}" for d, v in sorted(days.items())))
print(sum(1 for v in both.values() if len(set(v)) == 2), file=sys.stderr)
PY
}
expected_visitors=$(visitors_of_logs "$WORK/a.log" "$WORK/b.log" 2> "$WORK/shared")
# (Seven (address, user agent, day) are in both logs: each would count twice with two salts.)
[ "$(cat "$WORK/shared")" -gt 4 ] || fail "too few visitors in both logs to tell: $(cat "$WORK/shared")"
expect_eq "$(sql "SELECT string_agg(d || ':' || n, ' ' ORDER BY d) FROM (SELECT (ts AT TIME ZONE 'Europe/Paris')::date AS d,
    count(DISTINCT visitor_key) AS n FROM access_logs GROUP BY 1) s")" "$expected_visitors" "visitors per day"
expect_eq "$(sql "SELECT count(*) FROM visitor_salts")" "14" "one salt per day written"

# 3. Today's completed hours after a rollup; the completed days and October.
expect_status 0 "$ANALYTICS" --json rollup
expect_eq "$(json '["jobs"][0]["job"]') $(json '["jobs"][0]["hours_until"]')" "ogc 2026-11-12T04:00:00Z" "today's hours reported"
check_all 2026-10-30 2026-11-12 "completed days"
check_today '2026-11-12 00:00' '2026-11-12 05:00' "05:20"
check_month 2026-10-01 2026-11-01 "october"
[ "$(sql "SELECT count(*) FROM monthly_access_summary WHERE level = 'hour'")" -eq 24 ] || fail "october's hours of day"
expect_eq "$(sql "SELECT count(*) FROM visitor_salts WHERE day < '2026-11-11'")" "0" "old salts destroyed"
expect_eq "$(sql "SELECT string_agg(day::text, ',' ORDER BY day) FROM visitor_salts")" "2026-11-11,2026-11-12" "yesterday's and today's salts kept"
# Templated endpoints keep the API rollup bounded.
read -r raw templated <<<"$(sql "SELECT (SELECT count(DISTINCT request_path) FROM access_logs WHERE ts < '2026-11-12'),
    (SELECT count(DISTINCT endpoint) FROM daily_api_usage_metrics)" | tr '|' ' ')"
echo "# distinct paths $raw, API endpoints $templated"
[ "$templated" -lt $((raw / 10)) ] || fail "endpoints not templated: $templated of $raw"

# 4. Late rows for today's completed hours, and two rollups at once (cron
# overlapping itself): both hours exact after the next run.
gen 2026-11-12T01:00:00Z 2026-11-12T02:00:00Z 3 "$WORK/late.log"
export ANALYTICS_NOW='2026-11-12 07:10:00+01'
expect_status 0 "$ANALYTICS" ingest "$WORK/late.log"
"$ANALYTICS" rollup -q > "$WORK/r1.out" 2>&1 &
r1=$!
"$ANALYTICS" rollup -q > "$WORK/r2.out" 2>&1 || fail "rollup 2: $(cat "$WORK/r2.out")"
wait $r1 || fail "rollup 1: $(cat "$WORK/r1.out")"
check_today '2026-11-12 00:00' '2026-11-12 07:00' "07:10, late rows"

# 5. process refreshes today's hours too.
sql "INSERT INTO opentelemetry_buffer (\"timestamp\", span_id, trace_id, message, source_type, scope, attributes)
     SELECT timestamptz '2026-11-12 07:00:00+01' + g * interval '1 minute', 'p' || g, 'tp' || g, '', 'opentelemetry',
            '{\"name\": \"org.georchestra.gateway.accesslog\"}',
            '{\"http.request.method\": \"GET\", \"http.request.path\": \"/geoserver/psc/wms\",
              \"http.request.query-string\": \"SERVICE=WMS&REQUEST=GetMap&LAYERS=psc:a\",
              \"http.status_code\": \"200\", \"server.address\": \"geo.example.org\", \"client.address\": \"192.0.2.7\"}'
     FROM generate_series(1, 30) g" >/dev/null
expect_status 0 "$ANALYTICS" --now '2026-11-12 08:01:00+01' process
[ "$(sql "SELECT count(*) FROM ogc_summary_hourly WHERE bucket_hourly = '2026-11-12 07:00+01'")" -gt 0 ] ||
    fail "process: no 07:00 hour"
check_today '2026-11-12 00:00' '2026-11-12 08:00' "process at 08:01"
expect_eq "$(sql "SELECT count(DISTINCT visitor_key) || ' ' || count(visitor_key) FROM access_logs WHERE server_address = 'geo.example.org'")" \
    "1 30" "process: one visitor, keyed"

# 6. The day completes: its hours, day and summaries replaced whole.
export ANALYTICS_NOW='2026-11-13 00:30:00+01'
expect_status 0 "$ANALYTICS" --json rollup
expect_eq "$(json '["jobs"][0]["hours_until"]')" "None" "no completed hour yet today"
check_all 2026-10-30 2026-11-13 "the day completed"
# Re-runs change nothing.
before=$(sql "SELECT md5(string_agg(t::text, '' ORDER BY t::text)) FROM (SELECT $access_columns FROM daily_access_summary) t")
expect_status 0 "$ANALYTICS" rollup --from 2026-11-10 --to 2026-11-12
expect_eq "$(sql "SELECT md5(string_agg(t::text, '' ORDER BY t::text)) FROM (SELECT $access_columns FROM daily_access_summary) t")" "$before" "re-run"
echo "PASS"
