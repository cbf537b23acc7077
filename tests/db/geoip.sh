#!/usr/bin/env bash
# Issue 17, countries (optional): with geoip.database naming a MaxMind-format
# country database (one written here by Debian's libmaxmind-db-writer-perl),
# ingest stores each row's country and no address; reprocess keeps the
# countries; daily/monthly_country_summary equal plain SQL over the raw rows;
# the report's countries card equals a count made from the log itself.
# Without the setting, new rows have no country.
. "$(dirname "$0")/lib.sh"
perl "$(dirname "$0")/../data/geoip/write_country_db.pl" "$WORK/countries.mmdb"
printf 'timezone: Europe/Paris\nrollup: {max_days_per_run: 100}\ngeoip:\n  database: %s\n' "$WORK/countries.mmdb" > "$WORK/geoip.yaml"
printf 'timezone: Europe/Paris\n' > "$WORK/plain.yaml"
export ANALYTICS_CONFIG="$WORK/geoip.yaml"
export PGTZ=Europe/Paris
export ANALYTICS_NOW='2026-11-03 12:00:00+01'
expect_status 0 "$ANALYTICS" migrate
ROLLUP_TZ=Europe/Paris
. "$(dirname "$0")/rollup_expected.sh"

# A log whose addresses are in the database's networks (IPv4 and IPv6, the
# ends of a range), a private one, one outside every network and none:
# October (a complete month) and November (today included).
python3 - "$WORK/access.log" <<'PY'
import sys
addresses = ["192.0.2.1", "192.0.2.254", "198.51.100.5", "198.51.100.127", "198.51.100.128",
             "2001:db8:1::7", "2001:db8:1:ffff::1", "2001:db8:2::9", "10.0.0.1", "203.0.113.9",
             "2001:db8:3::1", "-"]
agents = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "QGIS/33404/Linux"]
days = ["2026-10-01", "2026-10-02", "2026-10-31", "2026-11-01", "2026-11-02"]
months = {"10": "Oct", "11": "Nov"}
with open(sys.argv[1], "w") as out:
    n = 0
    for day in days:
        y, m, d = day.split("-")
        for hour in range(0, 24, 3):
            for i, address in enumerate(addresses):
                if (i + hour) % 5 == 0:
                    continue
                n += 1
                app = "geoserver" if (i + hour) % 2 else "mapstore"
                agent = agents[(i + n) % 2]
                out.write(f'{address} - - [{d}/{months[m]}/{y}:{hour:02d}:{i:02d}:00 +0100] '
                          f'"GET /{app}/wms?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1" 200 {100 + i} '
                          f'"-" "{agent}"\n')
PY
expect_status 0 "$ANALYTICS" ingest -q "$WORK/access.log"
expected_codes() { # the country of every line, in the log's order, from the networks written above
    python3 - "$WORK/access.log" <<'PY'
import ipaddress, sys
networks = {"192.0.2.0/24": "FR", "198.51.100.0/25": "DE", "198.51.100.128/25": "JP",
            "2001:db8:1::/48": "FR", "2001:db8:2::/48": "BR"}
for line in open(sys.argv[1]):
    address = line.split(" ")[0]
    code = "NULL"
    if address != "-":
        ip = ipaddress.ip_address(address)
        for net, c in networks.items():
            if ip.version == ipaddress.ip_network(net).version and ip in ipaddress.ip_network(net):
                code = c
    print(line.split("[")[1].split("]")[0] + " " + code)
PY
}
expected=$(expected_codes | sort)
actual=$(sql "SELECT to_char(ts AT TIME ZONE INTERVAL '+01:00', 'DD/Mon/YYYY:HH24:MI:SS') || ' +0100 ' || coalesce(country_code, 'NULL') FROM access_logs" | sort)
expect_eq "$actual" "$expected" "country of every row"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE client_ip IS NOT NULL")" "0" "no address stored"
expect_eq "$(sql "SELECT string_agg(DISTINCT country_code, ',' ORDER BY country_code) FROM access_logs")" "BR,DE,FR,JP" "countries"

# Reprocess with the address gone keeps each row's country.
countries() { sql "SELECT md5(string_agg(id || coalesce(country_code, '-'), ',' ORDER BY id)) FROM access_logs"; }
before=$(countries)
expect_status 0 "$ANALYTICS" process --reprocess --from 2026-10-01 --to 2026-11-02
expect_eq "$(countries)" "$before" "countries after reprocess"

# The rollups against plain SQL over the raw rows (rollup_expected.sh), every
# day and October's month, and again after a late row of a rolled-up day.
expect_status 0 "$ANALYTICS" rollup
check_all 2026-10-01 2026-11-03 "rolled up"
check_month 2026-10-01 2026-11-01 "October"
expect_eq "$(sql "SELECT count(DISTINCT metric_date) || ' ' || count(DISTINCT country_code) FROM daily_country_summary")" "5 4" "days and countries rolled up"
expect_eq "$(sql "SELECT count(DISTINCT metric_month) FROM monthly_country_summary")" "1" "October only"
printf '192.0.2.77 - - [02/Oct/2026:23:30:00 +0100] "GET /geoserver/wms HTTP/1.1" 200 1 "-" "curl/8.0"\n' > "$WORK/late.log"
expect_status 0 "$ANALYTICS" ingest -q "$WORK/late.log"
expect_status 0 "$ANALYTICS" rollup
check_all 2026-10-01 2026-11-03 "after a late row"
check_month 2026-10-01 2026-11-01 "October after a late row"

# The report's card: requests per country counted from the log itself.
expect_status 0 "$ANALYTICS" --json report --from 2026-10-01 --to 2026-11-02
expected_codes > "$WORK/codes"
printf '192.0.2.77 FR\n' >> "$WORK/codes"
python3 - "$WORK/out" "$WORK/codes" <<'PY' || fail "countries card differs from the log"
import collections, json, sys
report = json.load(open(sys.argv[1]))
counts = collections.Counter(line.split()[-1] for line in open(sys.argv[2]))
del counts["NULL"]
card = report["rankings"]["countries"]
got = {row["country"]: row["count"] for row in card["rows"]}
assert got == dict(counts), (got, counts)
assert card["total"] == sum(counts.values()), card["total"]
assert all(row["visitors"] >= 1 for row in card["rows"]), card["rows"]
PY
expect_status 0 "$ANALYTICS" report --from 2026-10-01 --to 2026-11-02
grep -q "^Countries" "$WORK/out" || fail "no countries card in the text report: $(cat "$WORK/out")"
expect_status 0 "$ANALYTICS" report --from 2026-10-01 --to 2026-11-02 --html "$WORK/report.html"
grep -q "Countries" "$WORK/report.html" || fail "no countries card in the HTML report"
expect_status 0 "$ANALYTICS" --json report --from 2026-10-01 --to 2026-11-02 --app geoserver
python3 - "$WORK/out" "$(sql "SELECT count(*) FROM access_logs WHERE app_name = 'geoserver' AND country_code IS NOT NULL")" <<'PY' || fail "countries card with --app"
import json, sys
card = json.load(open(sys.argv[1]))["rankings"]["countries"]
assert card["total"] == int(sys.argv[2]), (card["total"], sys.argv[2])
PY

# Off by default: reprocess without the setting keeps the countries stored,
# and new rows get none.
export ANALYTICS_CONFIG="$WORK/plain.yaml"
before=$(countries)
expect_status 0 "$ANALYTICS" process --reprocess --from 2026-10-01 --to 2026-11-02
expect_eq "$(countries)" "$before" "countries after reprocess without geoip.database"
grep '02/Nov/2026' "$WORK/access.log" | sed 's/ 200 / 201 /' > "$WORK/plain.log"
expect_status 0 "$ANALYTICS" ingest -q "$WORK/plain.log"
expect_eq "$(sql "SELECT count(*) FILTER (WHERE country_code IS NULL) || '/' || count(*) FROM access_logs WHERE status_code = 201")" \
    "$(wc -l < "$WORK/plain.log")/$(wc -l < "$WORK/plain.log")" "no country without geoip.database"
echo "geoip: countries stored, rolled up and reported as the log says"
