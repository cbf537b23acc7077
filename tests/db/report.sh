#!/usr/bin/env bash
# report: every figure equals the same figure computed independently from the
# records (in Python, from 'ingest --output'); text, JSON and a self-contained
# HTML page that headless Chromium renders with its charts and no console
# message; empty ranges and bad options.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser.sh"
printf 'timezone: Europe/Paris\n' > "$WORK/paris.yaml"
export ANALYTICS_CONFIG="$WORK/paris.yaml" ANALYTICS_NOW=2026-11-23T08:00:00+01:00

# Two weeks of gateway logs and geoportal beacons, rolled up.
"$ANALYTICS" generate -f georchestra --from 2026-11-09 --to 2026-11-23 --rate 120 --seed 11 \
    -o "$WORK/access.log.gz" >/dev/null
"$ANALYTICS" generate -f events --from 2026-11-09 --to 2026-11-23 --rate 10 --seed 11 \
    -o "$WORK/beacons.jsonl" >/dev/null
expect_status 0 "$ANALYTICS" migrate
expect_status 0 "$ANALYTICS" ingest "$WORK/access.log.gz"
expect_status 0 "$ANALYTICS" ingest -f events "$WORK/beacons.jsonl"
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
        rank["layers"][(label, d.get("service", ""), d.get("request", ""))] += 1
    for w in sorted(set(s.strip() for s in spaces if s.strip())):
        rank["workspaces"][(w,)] += 1
    rank["organisations"][(r.get("org_name") or "(anonymous)",)] += 1
    rank["applications"][(r.get("app_name") or "(none)",)] += 1
    rank["user_agents"][(r.get("user_agent_family") or "Other",)] += 1
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)", r.get("referrer") or "")
    rank["referrers"][(m.group(1).lower() if m else "(none)",)] += 1
    if d.get("is_download") is True:
        rank["downloads"][(d.get("download_format") or "(unknown)",)] += 1
for d in report["days"]:
    assert d["requests"] == days[d["day"]], (d, days[d["day"]])
    assert d["ogc_requests"] == ogc_days[d["day"]], (d, ogc_days[d["day"]])
assert report["requests"] == sum(days.values())
for key, counts in rank.items():
    got = report["rankings"][key]
    assert got["total"] == sum(counts.values()), (key, got["total"], sum(counts.values()))
    assert got["distinct"] == len(counts), (key, got["distinct"], len(counts))
    expected_counts = sorted(counts.values(), reverse=True)[:8]
    assert [row["count"] for row in got["rows"]] == expected_counts, (key, got["rows"], expected_counts)
    for row in got["rows"]:
        labels = tuple(row["labels"][:1] if key == "user_agents" else row["labels"])
        assert counts[labels] == row["count"], (key, labels, row["count"], counts[labels])
kinds = {row["labels"][0]: row["labels"][1] for row in report["rankings"]["user_agents"]["rows"]}
assert kinds.get("QGIS") == "GIS client" and kinds.get("Chrome") == "browser", kinds
assert report["searches"] > 0 and report["rankings"]["searches"]["rows"], "no searches"
print("report matches the records:", report["requests"], "requests,", len(report["days"]), "days")
PY

# Terminal tables.
expect_status 0 "$ANALYTICS" report --from 2026-11-09 --to 2026-11-22 --top 3
for heading in "Requests per day" "Top layers" "Top workspaces" "Organisations" "Users" \
    "Applications" "User agents" "Referrer domains" "Status codes" "Downloads by format" \
    "Geoportal searches"; do
    grep -q "^$heading" "$WORK/out" || fail "no '$heading' in the text report"
done
[ "$(grep -c '^  2026-11-' "$WORK/out")" -eq 14 ] || fail "not one line per day"
grep -q "QGIS  *GIS client" "$WORK/out" || fail "QGIS is not shown as a GIS client"

# HTML: one file, nothing fetched from elsewhere, charts drawn in a browser.
expect_status 0 "$ANALYTICS" report --html "$WORK/report.html"
grep -q "written to $WORK/report.html" "$WORK/out" || fail "the path of the report is not said"
grep -Eiq '<(link|img|iframe)|src=|url\(' "$WORK/report.html" && fail "the page loads something"
grep -q '<table>' "$WORK/report.html" || fail "no table in the page"
check_in_browser "$WORK/report.html" "$WORK/report.png" 7
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
expect_status 66 "$ANALYTICS" report --html /nonexistent/dir/report.html
echo "report: figures, text, JSON and HTML in Chromium are right"
