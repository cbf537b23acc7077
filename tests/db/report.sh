#!/usr/bin/env bash
# report: every figure equals the same figure computed independently from the
# records (in Python, from 'ingest --output'); text, JSON and a self-contained
# HTML page that headless Chromium renders with its charts and no console
# message and no label cut off; empty ranges and bad options; days whose daily
# rollups were pruned, from the monthly ones; the configured title, relative
# dates, filters, the previous period and weeks or months, each figure
# against plain SQL over the raw rows and against the records.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser.sh"
printf 'timezone: Europe/Paris\ntitle: Demo portal usage\n' > "$WORK/paris.yaml"
export ANALYTICS_CONFIG="$WORK/paris.yaml" ANALYTICS_NOW=2026-11-23T08:00:00+01:00

# Two weeks of gateway logs and geoportal beacons, rolled up.
load_generated 2026-11-09 2026-11-23 120 11
expect_status 0 "$ANALYTICS" maintain

# Before: nothing in an old range, said plainly.
expect_status 0 "$ANALYTICS" report --from 2020-01-01 --to 2020-01-31
grep -q "No rolled-up data in this range; the last day rolled up is 2026-11-22" "$WORK/out" ||
    fail "empty range: $(cat "$WORK/out")"

# JSON against the records themselves.
"$ANALYTICS" ingest --output "$WORK/records.jsonl" "$WORK/access.log.gz" >/dev/null 2>&1
expect_status 0 "$ANALYTICS" --json report --top 8
cp "$WORK/out" "$WORK/report.json"
python3 - "$WORK/report.json" "$WORK/records.jsonl" <<'PY' || fail "report figures differ from the records"
import collections, datetime, json, re, sys, zoneinfo
report = json.load(open(sys.argv[1]))
paris = zoneinfo.ZoneInfo("Europe/Paris")
assert (report["from"], report["to"]) == ("2026-11-09", "2026-11-22"), (report["from"], report["to"])
days, ogc_days = collections.Counter(), collections.Counter()
rank = {k: collections.Counter() for k in ("layers", "workspaces", "organisations", "applications",
        "user_agents", "referrers", "status_codes", "downloads")}
for line in open(sys.argv[2]):
    r = json.loads(line)
    ts = datetime.datetime.fromisoformat(r["ts"].replace("Z", "+00:00"))
    day = ts.astimezone(paris).date().isoformat()
    days[day] += 1
    rank["status_codes"][(str(r["status_code"]),)] += 1
    d = r.get("request_details", {})
    if "ogc" not in d.get("tags", []):
        continue
    ogc_days[day] += 1
    layers = [x for x in d.get("layers", "").split(",")] if d.get("layers") else []
    spaces = d.get("workspaces", "").split(",") if d.get("workspaces") else []
    for i, name in enumerate(layers):
        if not name.strip():
            continue
        if ":" in name: label = name.strip()
        elif i < len(spaces) and spaces[i].strip() and len(spaces) > 1: label = spaces[i].strip() + ":" + name.strip()
        elif len(spaces) == 1 and spaces[0]: label = spaces[0] + ":" + name.strip()
        else: label = name.strip()
        rank["layers"][(label, d.get("service"), d.get("request"))] += 1
    for w in sorted(set(s.strip() for s in spaces if s.strip())):
        rank["workspaces"][(w,)] += 1
    rank["organisations"][(r.get("org_name"),)] += 1
    rank["applications"][(r.get("app_name"),)] += 1
    rank["user_agents"][(r.get("user_agent_family"),)] += 1
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)", r.get("referrer") or "")
    rank["referrers"][(m.group(1).lower() if m else None,)] += 1
    if d.get("is_download") is True:
        rank["downloads"][(d.get("download_format"),)] += 1
for d in report["days"]:
    assert d["requests"] == days[d["day"]], (d, days[d["day"]])
    assert d["ogc_requests"] == ogc_days[d["day"]], (d, ogc_days[d["day"]])
assert report["requests"] == sum(days.values())
for key, counts in rank.items():
    got = report["rankings"][key]
    assert got["counted"] == sum(counts.values()), (key, got["counted"], sum(counts.values()))
    named = report["requests"] if key == "status_codes" else report["ogc_requests"]
    assert got["total"] == named, (key, got["total"], named)
    assert got["distinct"] == len(counts), (key, got["distinct"], len(counts))
    expected_counts = sorted(counts.values(), reverse=True)[:8]
    assert [row["count"] for row in got["rows"]] == expected_counts, (key, got["rows"], expected_counts)
    fields = [c["field"] for c in got["columns"]]
    for row in got["rows"]:
        assert list(row) == fields + ["count", "share"], (key, row)
        labels = tuple(row[f] for f in (fields[:1] if key == "user_agents" else fields))
        assert counts[labels] == row["count"], (key, labels, row["count"], counts[labels])
        assert abs(row["share"] - row["count"] / got["total"]) < 1e-6, (key, row)
users = report["rankings"]["users"]["rows"]
assert users and all(u["user"] is None for u in users), users  # keys_blacklist: no user name
assert report["title"] == "Demo portal usage" and report["granularity"] == "day", report["title"]
assert [(p["from"], p["requests"]) for p in report["periods"]] == \
    [(d, days[d]) for d in sorted(days) if d <= "2026-11-22"], report["periods"]
kinds = {row["user_agent"]: row["kind"] for row in report["rankings"]["user_agents"]["rows"]}
assert kinds.get("QGIS") == "GIS client" and kinds.get("Chrome") == "browser", kinds
assert report["searches"] > 0 and report["rankings"]["searches"]["rows"], "no searches"
print("report matches the records:", report["requests"], "requests,", len(report["days"]), "days")
PY

# Relative dates as generate takes them: -7d is 2026-11-16 here (now 2026-11-23).
expect_status 0 "$ANALYTICS" --json report --from -7d --to -1d
cp "$WORK/out" "$WORK/relative.json"
expect_status 0 "$ANALYTICS" --json report --from 2026-11-16 --to 2026-11-22
python3 - "$WORK/relative.json" "$WORK/out" <<'PY' || fail "--from -7d is not the days it names"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert (a["from"], a["to"]) == ("2026-11-16", "2026-11-22"), (a["from"], a["to"])
for key in ("requests", "ogc_requests", "searches", "periods", "rankings", "previous"):
    assert a[key] == b[key], key
PY
expect_status 64 "$ANALYTICS" report --from=-7x
grep -q -- "-7d" "$WORK/err" || fail "a bad relative date is not explained: $(cat "$WORK/err")"

# Each figure against plain SQL over the raw rows (local days in Paris).
raw() { # CONDITION FROM TO: raw requests of those local days
    sql "SELECT count(*) FROM analytics.access_logs WHERE ts >= '$2'::date::timestamptz
           AND ts < ('$3'::date + 1)::timestamptz AND $1"
}
thousands() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }
export PGTZ=Europe/Paris
ogc="request_details->'tags' @> '[\"ogc\"]'"
workspace=$(sql "SELECT w FROM analytics.access_logs, unnest(string_to_array(request_details->>'workspaces', ',')) w
                 WHERE $ogc GROUP BY w ORDER BY count(*) DESC, w LIMIT 1")
app=$(sql "SELECT app_name FROM analytics.access_logs WHERE $ogc GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
# The previous period of the same length.
expect_status 0 "$ANALYTICS" --json report --from 2026-11-16 --to 2026-11-22
python3 - "$WORK/out" "$(raw true 2026-11-09 2026-11-15)" "$(raw "$ogc" 2026-11-09 2026-11-15)" \
    "$(raw true 2026-11-16 2026-11-22)" <<'PY' || fail "the previous period differs from the raw rows"
import json, sys
r, requests, ogc, now = json.load(open(sys.argv[1])), *map(int, sys.argv[2:])
p = r["previous"]
assert (p["from"], p["to"]) == ("2026-11-09", "2026-11-15"), p
assert (p["requests"], p["ogc_requests"]) == (requests, ogc), (p, requests, ogc)
assert r["requests"] == now and p["searches"] > 0, (r["requests"], now)
PY
expect_status 0 "$ANALYTICS" report --from 2026-11-16 --to 2026-11-22
grep -q "^  previous 7 days (2026-11-09 .. 2026-11-15): $(thousands "$(raw true 2026-11-09 2026-11-15)") requests (now [+-]" \
    "$WORK/out" || fail "no comparison in the text: $(head -8 "$WORK/out")"
# Filters: OGC figures only, each equal to plain SQL; the others left out.
for filter in "--service wms|upper(request_details->>'service') = 'WMS'" \
              "--app $app|app_name = '$app'" \
              "--workspace $workspace|'$workspace' = ANY (string_to_array(request_details->>'workspaces', ','))"; do
    option=${filter%%|*} condition=${filter#*|}
    # shellcheck disable=SC2086
    expect_status 0 "$ANALYTICS" --json report --from 2026-11-09 --to 2026-11-22 --top 1000 $option
    python3 - "$WORK/out" "$(raw "$ogc AND $condition" 2026-11-09 2026-11-22)" \
        "$(sql "SELECT coalesce(string_agg(n::text, ',' ORDER BY n DESC), '') FROM (SELECT count(*) AS n
                FROM analytics.access_logs WHERE $ogc AND $condition
                 AND ts >= '2026-11-09'::date::timestamptz AND ts < '2026-11-23'::date::timestamptz
                GROUP BY org_name) g")" <<'PY' || fail "report $option differs from the raw rows"
import json, sys
r, ogc, orgs = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
assert r["ogc_requests"] == ogc > 0, (r["ogc_requests"], ogc)
assert r["requests"] is None and r["searches"] is None, "unfiltered figures in a filtered report"
assert "status_codes" not in r["rankings"] and "searches" not in r["rankings"], list(r["rankings"])
assert sum(d["ogc_requests"] for d in r["days"]) == ogc
assert ",".join(str(x["count"]) for x in r["rankings"]["organisations"]["rows"]) == orgs, \
    (r["rankings"]["organisations"]["rows"], orgs)
assert any("Only the OGC requests of" in n for n in r["notes"]), r["notes"]
PY
done
# Weeks beyond 62 days, Monday to Sunday cut by the range; months beyond two years.
expect_status 0 "$ANALYTICS" --json report --from 2026-09-01 --to 2026-11-22
python3 - "$WORK/out" "$(raw true 2026-11-09 2026-11-15)" "$(raw true 2026-11-16 2026-11-22)" <<'PY' || fail "weeks"
import json, sys
r, week1, week2 = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
assert r["granularity"] == "week", r["granularity"]
periods = [(p["from"], p["to"], p["requests"]) for p in r["periods"]]
assert periods[0] == ("2026-09-01", "2026-09-06", 0), periods[0]  # a Tuesday: cut by the range
assert [p for p in periods if p[2]] == \
    [("2026-11-09", "2026-11-15", week1), ("2026-11-16", "2026-11-22", week2)], periods
assert len(periods) == 12 and sum(p[2] for p in periods) == r["requests"], periods
PY
expect_status 0 "$ANALYTICS" --json report --from 2024-01-01 --to 2026-11-22
python3 - "$WORK/out" "$(raw true 2026-11-01 2026-11-22)" <<'PY' || fail "months"
import json, sys
r, november = json.load(open(sys.argv[1])), int(sys.argv[2])
assert r["granularity"] == "month", r["granularity"]
periods = [(p["from"], p["to"], p["requests"]) for p in r["periods"]]
assert periods[0] == ("2024-01-01", "2024-01-31", 0) and len(periods) == 35, periods
assert [p for p in periods if p[2]] == [("2026-11-01", "2026-11-22", november)], periods
PY
expect_status 0 "$ANALYTICS" report --from 2026-09-01 --to 2026-11-22
grep -q "^Requests per week" "$WORK/out" || fail "no weeks in the text"
grep -q "^  2026-11-09 \.\. 2026-11-15 " "$WORK/out" || fail "no week line: $(cat "$WORK/out")"

# Every request from daily_access_summary: totals, endpoints and hours of day,
# each against plain SQL over the raw rows (no app filter, then --app).
templates=$("$ANALYTICS" --json config show | python3 -c '
import json, sys
t = json.load(sys.stdin)["rollup"]["endpoint_templates"]
arr = lambda xs: "ARRAY[" + ",".join("$q$" + x + "$q$" for x in xs) + "]::text[]"
print(arr([x["pattern"] for x in t]) + ", " + arr([x["placeholder"] for x in t]))')
range_rows="ts >= '2026-11-09'::date::timestamptz AND ts < '2026-11-23'::date::timestamptz"
for filter in "|true" "--app $app|app_name = '$app'"; do
    option=${filter%%|*} condition=${filter#*|}
    # shellcheck disable=SC2086
    expect_status 0 "$ANALYTICS" --json report --from 2026-11-09 --to 2026-11-22 --top 1000 $option
    cp "$WORK/out" "$WORK/traffic.json"
    sql "SELECT sum(n), sum(v), sum(b), sum(e4), sum(e5) FROM (SELECT ts::date, count(*) AS n,
           count(DISTINCT visitor_key) AS v, sum(response_size) AS b,
           count(*) FILTER (WHERE status_code BETWEEN 400 AND 499) AS e4,
           count(*) FILTER (WHERE status_code BETWEEN 500 AND 599) AS e5
         FROM analytics.access_logs WHERE $range_rows AND $condition GROUP BY 1) d" > "$WORK/raw-totals"
    sql "SELECT string_agg(coalesce(n, 0)::text, ',' ORDER BY h) FROM generate_series(0, 23) h
         LEFT JOIN (SELECT extract(hour FROM ts)::int AS hour, count(*) AS n FROM analytics.access_logs
                    WHERE $range_rows GROUP BY 1) r ON r.hour = h" > "$WORK/raw-hours"
    sql "SELECT e, app_name, sum(n), sum(e4), sum(e5), coalesce(sum(b)::text, ''), max(p95) FROM (
           SELECT ts::date, analytics.endpoint_template(request_path, $templates) AS e, app_name,
                  count(*) AS n, count(*) FILTER (WHERE status_code BETWEEN 400 AND 499) AS e4,
                  count(*) FILTER (WHERE status_code BETWEEN 500 AND 599) AS e5, sum(response_size) AS b,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time) AS p95
           FROM analytics.access_logs WHERE $range_rows AND $condition GROUP BY 1, 2, 3) d
         GROUP BY 1, 2" > "$WORK/raw-endpoints"
    sql "SELECT analytics.endpoint_template(request_path, $templates) AS e, count(*)
         FROM analytics.access_logs WHERE $range_rows AND status_code = 404 GROUP BY 1" > "$WORK/raw-404"
    python3 - "$WORK/traffic.json" "$WORK/raw-totals" "$WORK/raw-hours" "$WORK/raw-endpoints" "$option" "$WORK/raw-404" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
n, v, b, e4, e5 = (int(x) for x in open(sys.argv[2]).read().strip().split("|"))
t = r["traffic"]
assert (t["requests"], t["visitors_daily_sum"], t["bytes_sent"], t["status_4xx"], t["status_5xx"], t["days"]) \
    == (n, v, b, e4, e5, 14), (t, n, v, b, e4, e5)
assert n > 0 and v > 0 and e4 > 0 and e5 > 0, "too little traffic to tell"
if sys.argv[5]:
    assert "hours" not in r["rankings"], "hours of day in an --app report (they have no app)"
    assert "not_found" not in r["rankings"], "404s in an --app report (they have no app)"
else:
    raw404 = {}
    for line in open(sys.argv[6]).read().splitlines():
        e, n = line.split("|")
        raw404[e or None] = int(n)
    got404 = {x["endpoint"]: x["count"] for x in r["rankings"]["not_found"]["rows"]}
    assert sum(raw404.values()) > 0 and got404 == raw404, (got404, raw404)
    assert r["rankings"]["not_found"]["total"] == sum(raw404.values()), r["rankings"]["not_found"]
    hours = [row["count"] for row in r["rankings"]["hours"]["rows"]]
    assert [row["hour"] for row in r["rankings"]["hours"]["rows"]] == [f"{h:02}" for h in range(24)]
    assert ",".join(map(str, hours)) == open(sys.argv[3]).read().strip(), hours
raw = {}
for line in open(sys.argv[4]).read().splitlines():
    e, app, n, e4, e5, b, p95 = line.split("|")
    raw[(e or None, app or None)] = (int(n), int(e4), int(e5), int(b) if b else None, float(p95) if p95 else None)
got = {(x["endpoint"], x["app"]): x for x in r["rankings"]["endpoints"]["rows"]}
assert set(got) == set(raw), (set(got) ^ set(raw))
for key, (n, e4, e5, b, p95) in raw.items():
    x = got[key]
    assert (x["count"], x["status_4xx"], x["status_5xx"], x["bytes_sent"]) == (n, e4, e5, b), (key, x, raw[key])
    assert (p95 is None) == (x["worst_daily_p95_ms"] is None), (key, x, p95)
    assert p95 is None or abs(x["worst_daily_p95_ms"] - p95) < 1e-6, (key, x, p95)
counts = [x["count"] for x in r["rankings"]["endpoints"]["rows"]]
assert counts == sorted(counts, reverse=True) and sum(counts) == t["requests"], counts
print("traffic", sys.argv[5] or "(all)", t, len(raw), "endpoints")
PY
        fail "report $option: traffic figures differ from the raw rows"
done

# Terminal tables.
expect_status 0 "$ANALYTICS" report --from 2026-11-09 --to 2026-11-22 --top 3
grep -q "^Demo portal usage 2026-11-09 to 2026-11-22 " "$WORK/out" || fail "no title: $(head -1 "$WORK/out")"
grep -q "(no user name)" "$WORK/out" || fail "a missing user name is not said"
for heading in "Requests per day" "Top layers" "Top workspaces" "Organisations" "Users" \
    "Applications" "User agents" "Referrer domains" "Status codes" "Downloads by format" \
    "Geoportal searches" "Top endpoints" "Requests per hour of day" "Not found (404)"; do
    grep -q "^$heading" "$WORK/out" || fail "no '$heading' in the text report"
done
[ "$(grep -c '^  2026-11-' "$WORK/out")" -eq 14 ] || fail "not one line per day"
grep -q "^  every request (access summary, 14 days): $(thousands "$(raw true 2026-11-09 2026-11-22)") requests, .* visitors (distinct per day, added up), .* 5xx$" \
    "$WORK/out" || fail "no access totals in the text: $(sed -n 3,6p "$WORK/out")"
grep -q "^  endpoint  *app  *requests  *share  *4xx  *5xx  *bytes  *p95 ms (worst day)$" "$WORK/out" ||
    fail "no endpoint measures in the text"
grep -q "QGIS  *GIS client" "$WORK/out" || fail "QGIS is not shown as a GIS client"

# HTML: one file, nothing fetched from elsewhere, charts drawn in a browser.
expect_status 0 "$ANALYTICS" report --html "$WORK/report.html"
grep -q "written to $WORK/report.html" "$WORK/out" || fail "the path of the report is not said"
grep -Eiq '<(link|img|iframe)|src=|url\(' "$WORK/report.html" && fail "the page loads something"
grep -q '<table>' "$WORK/report.html" || fail "no table in the page"
check_in_browser "$WORK/report.html" "$WORK/report.png" 7
grep -q "<h1>Demo portal usage 2026-" "$WORK/report.html" || fail "no title in the page"
for id in endpoints hours; do
    grep -q "<section id=\"$id\">" "$WORK/report.html" || fail "no $id section in the page"
done
grep -q "visitors (distinct per day, added up)" "$WORK/report.html" || fail "no visitors in the page"
# A long layer name is drawn whole (it was cut and clipped on the left).
long=cadastre:parcelles_cadastrales_communales_millesime_2026
sql "INSERT INTO analytics.ogc_summary_daily (bucket_daily, layers, service, request, nb_req)
     VALUES ('2026-11-20', '$long', 'WMS', 'GetMap', 1000000)" >/dev/null
expect_status 0 "$ANALYTICS" report --html "$WORK/long.html"
check_in_browser "$WORK/long.html" "$WORK/long.png" 7
grep -q ">$long · WMS</text>" "$WORK/dom.html" || fail "the long layer name is not drawn whole"
sql "DELETE FROM analytics.ogc_summary_daily WHERE layers = '$long'" >/dev/null
# The check catches a broken page (so that it cannot pass by accident).
printf '<html><body><script>console.error("broken"); nothing();</script></body></html>' > "$WORK/bad.html"
( check_in_browser "$WORK/bad.html" "$WORK/bad.png" 1 ) >/dev/null 2>&1 && fail "a broken page passed"
# ANALYTICS_REPORT_SCREENSHOT_DIR=DIR keeps the screenshot, to look at it.
if [ -n "${ANALYTICS_REPORT_SCREENSHOT_DIR:-}" ]; then
    mkdir -p "$ANALYTICS_REPORT_SCREENSHOT_DIR" && cp "$WORK/report.png" "$ANALYTICS_REPORT_SCREENSHOT_DIR/"
fi

# Bad options.
expect_status 64 "$ANALYTICS" report --from 2026-11-10 --to 2026-11-01
expect_status 64 "$ANALYTICS" report --from 2026-13-01
expect_status 64 "$ANALYTICS" report --top 0
# An HTML file that cannot be created: 73 (SPEC §6), the path named.
expect_status 73 "$ANALYTICS" report --html "$WORK/no-such-dir/report.html"
grep -q "no-such-dir/report.html" "$WORK/err" || fail "the unwritable path is not named: $(cat "$WORK/err")"

# "-" is standard output (it wrote a file named "-" before), and nothing else
# goes there; a device is written in place, never replaced.
(cd "$WORK" && expect_status 0 "$ANALYTICS" report --html -)
[ -e "$WORK/-" ] && fail "report --html - created a file named -"
cmp -s "$WORK/out" "$WORK/report.html" || fail "report --html - did not write the page alone to stdout"
expect_status 64 "$ANALYTICS" report --html - --json
expect_status 0 "$ANALYTICS" report --html /dev/null
[ -c /dev/null ] || fail "report --html /dev/null replaced /dev/null"

# Retention you can foresee: once maintain has pruned the daily rollups older
# than retention.daily_rollups (730 days), the OGC figures of those days come
# from ogc_summary_monthly, whole months at a time, and the report says so.
# Its own schema; the truth is the same report made before the pruning.
printf 'timezone: Europe/Paris\ndatabase:\n  schema: archive\n' > "$WORK/archive.yaml"
export ANALYTICS_CONFIG="$WORK/archive.yaml"
"$ANALYTICS" generate -f georchestra --from 2024-10-20 --to 2024-12-06 --rate 20 --seed 13 \
    -o "$WORK/old.log.gz" >/dev/null
expect_status 0 "$ANALYTICS" migrate
expect_status 0 "$ANALYTICS" --now 2024-12-10 ingest "$WORK/old.log.gz"
expect_status 0 env ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=100 "$ANALYTICS" --now 2025-01-05 maintain
expect_status 0 "$ANALYTICS" --json report --from 2024-10-01 --to 2024-12-31 --top 1000
cp "$WORK/out" "$WORK/before.json"
expect_status 0 "$ANALYTICS" --json report --from 2024-10-01 --to 2024-10-31 --top 1000
cp "$WORK/out" "$WORK/before-october.json"
# Two years later the days before 2024-11-23 have no daily rows left.
expect_status 0 "$ANALYTICS" --now 2026-11-23 maintain
expect_eq "$(sql "SELECT min(bucket_daily)::date FROM archive.ogc_summary_daily")" "2024-11-23" \
    "first daily rollup after pruning"
monthly_sum() { # MONTH [CONDITION]: OGC requests of that month, from plain SQL
    sql "SELECT sum(nb_req) FROM archive.ogc_summary_monthly WHERE bucket_monthly = '$1-01'${2:+ AND $2}"
}

# A pruned month: the monthly rows, said so in the text.
expect_status 0 "$ANALYTICS" report --from 2024-10-01 --to 2024-10-31
grep -q "2024-10: daily rows pruned after retention.daily_rollups (730 days); figures from the monthly rollups (OGC requests only)" \
    "$WORK/out" || fail "no note on the pruned month: $(cat "$WORK/out")"
grep -q "^  2024-10  *2024-10-01 \.\. 2024-10-31  *$(thousands "$(monthly_sum 2024-10)")\$" "$WORK/out" ||
    fail "October's OGC requests are not the monthly rows': $(cat "$WORK/out")"
expect_status 0 "$ANALYTICS" --json report --from 2024-10-01 --to 2024-10-31 --top 1000
cp "$WORK/out" "$WORK/october.json"
# Mixed: 2024-10-01 .. 2024-11-22 from the months, the rest from the days.
expect_status 0 "$ANALYTICS" --json report --from 2024-10-01 --to 2024-12-31 --top 1000
cp "$WORK/out" "$WORK/mixed.json"
# A range ending inside the pruned days is widened to what a monthly row covers.
expect_status 0 "$ANALYTICS" --json report --from 2024-10-15 --to 2024-11-10
cp "$WORK/out" "$WORK/widened.json"
python3 - "$WORK" "$(monthly_sum 2024-10)" "$(monthly_sum 2024-11)" \
    "$(monthly_sum 2024-10 "org_name IS NOT DISTINCT FROM (SELECT org_name FROM archive.ogc_summary_monthly WHERE bucket_monthly = '2024-10-01' GROUP BY 1 ORDER BY sum(nb_req) DESC, 1 LIMIT 1)")" \
    <<'PY' || fail "the report of pruned days differs from the rollups"
import json, sys
work, october, november, top_org = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
load = lambda name: json.load(open(f"{work}/{name}.json"))
before, before_oct = load("before"), load("before-october")
ogc = ("layers", "services", "workspaces", "organisations", "users", "applications",
       "user_agents", "referrers", "downloads")
assert not before["pruned"] and not before["months"], "pruned before the pruning"

r = load("october")
assert r["pruned"] == [{"from": "2024-10-01", "to": "2024-10-31", "note": r["notes"][0]}], r["pruned"]
assert r["days"] == [] and r["requests"] == 0, "days of a pruned month"
assert r["months"] == [{"month": "2024-10", "from": "2024-10-01", "to": "2024-10-31",
                        "ogc_requests": october}], r["months"]
assert r["ogc_requests"] == october == before_oct["ogc_requests"], (r["ogc_requests"], october)
assert r["rankings"]["organisations"]["rows"][0]["count"] == top_org
for key in ogc:
    assert r["rankings"][key] == before_oct["rankings"][key], key

r = load("mixed")
assert (r["from"], r["to"], r["requested_from"], r["requested_to"]) == \
    ("2024-10-01", "2024-12-31", "2024-10-01", "2024-12-31"), r
assert [(p["from"], p["to"]) for p in r["pruned"]] == [("2024-10-01", "2024-11-22")], r["pruned"]
assert "2024-10-01 .. 2024-11-22: daily rows pruned after retention.daily_rollups (730 days)" in r["pruned"][0]["note"]
kept = {d["day"]: d for d in before["days"] if d["day"] >= "2024-11-23"}
assert {d["day"]: d for d in r["days"]} == kept, "the days still rolled up differ"
old_nov = sum(d["ogc_requests"] for d in before["days"] if "2024-11-01" <= d["day"] <= "2024-11-22")
assert r["months"] == [
    {"month": "2024-10", "from": "2024-10-01", "to": "2024-10-31", "ogc_requests": october},
    {"month": "2024-11", "from": "2024-11-01", "to": "2024-11-22", "ogc_requests": old_nov}], r["months"]
assert november == old_nov + sum(d["ogc_requests"] for d in kept.values() if d["day"] <= "2024-11-30")
assert r["ogc_requests"] == before["ogc_requests"], (r["ogc_requests"], before["ogc_requests"])
for key in ogc:
    assert r["rankings"][key] == before["rankings"][key], key
requests = sum(d["requests"] for d in kept.values())
assert r["requests"] == requests and r["rankings"]["status_codes"]["total"] == requests

r = load("widened")
assert (r["from"], r["to"], r["requested_from"], r["requested_to"]) == \
    ("2024-10-01", "2024-11-22", "2024-10-15", "2024-11-10"), r
assert r["ogc_requests"] == october + old_nov and r["days"] == [], r
assert any("widened" in n and "2024-10-15 .. 2024-11-10" in n for n in r["notes"]), r["notes"]
print("pruned days: OGC figures from the monthly rollups, the rest from the days")
PY
expect_status 0 "$ANALYTICS" report --from 2024-10-01 --to 2024-12-31 --html "$WORK/archive.html"
grep -q "2024-10-01 .. 2024-11-22: daily rows pruned after retention.daily_rollups (730 days)" \
    "$WORK/archive.html" || fail "the page does not say which days come from the monthly rollups"
check_in_browser "$WORK/archive.html" "$WORK/archive.png" 7
# Only monthly rows left: the default range is the last month rolled up.
expect_status 0 "$ANALYTICS" --now 2027-01-10 maintain
expect_eq "$(sql "SELECT count(*) FROM archive.ogc_summary_daily")" "0" "daily rollups after 2027-01-10"
expect_status 0 "$ANALYTICS" report
grep -q "^Usage report 2024-12-01 to 2024-12-31 " "$WORK/out" || fail "default range: $(cat "$WORK/out")"
grep -q "2024-12: daily rows pruned after retention.daily_rollups (730 days)" "$WORK/out" ||
    fail "no note on December: $(cat "$WORK/out")"
grep -q "$(thousands "$(monthly_sum 2024-12)") OGC requests" "$WORK/out" || fail "December's total"
echo "report: figures, text, JSON and HTML in Chromium are right"
