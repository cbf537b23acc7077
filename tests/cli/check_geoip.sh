#!/usr/bin/env bash
# geoip.database (issue 17, countries): each record gets the country of its
# client address (IPv4, IPv6, with a port, the first X-Forwarded-For hop),
# NULL where the database places none, and no address; a missing, unreadable
# or foreign database is a configuration error (78) before any line is read.
# The database is written here by Debian's libmaxmind-db-writer-perl.
# usage: check_geoip.sh ANALYTICS
. "$(dirname "$0")/lib.sh"
analytics=$1
export ANALYTICS_NOW=2026-11-23T00:00:00Z
perl "$(dirname "$0")/../data/geoip/write_country_db.pl" "$tmp/countries.mmdb" || { echo "FAIL: writing the database"; exit 1; }
config() { printf 'geoip:\n  database: %s\n' "$1" > "$tmp/config.yaml"; }

# Records: address → expected country ("null": none).
config "$tmp/countries.mmdb"
while read -r address expected; do
    printf '%s - - [22/Nov/2026:10:00:00 +0000] "GET /geoserver/wms HTTP/1.1" 200 1 "-" "curl/8.0"\n' "$address"
done > "$tmp/access.log" <<'CASES'
192.0.2.1 FR
198.51.100.127 DE
198.51.100.128 JP
2001:db8:1::7 FR
2001:db8:2:ffff::1 BR
10.0.0.1 null
203.0.113.9 null
2001:db8:3::1 null
- null
CASES
out=$("$analytics" --config "$tmp/config.yaml" ingest --format combined --output - "$tmp/access.log" 2>"$tmp/err") ||
    report "ingest with a database: $(cat "$tmp/err")"
got=$(python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    assert "client_ip" not in r, r
    print(r.get("country_code", "null"))' <<<"$out" | tr '\n' ' ')
[ "$got" = "FR DE JP FR BR null null null null " ] || report "countries of the combined lines: $got"

# The first X-Forwarded-For hop, not the proxy's address; a port is no obstacle.
otel() { # FORWARDED-FOR REMOTE-ADDR
    printf '{"timestamp": "2026-11-22T10:00:00Z", "span_id": "%s", "attributes": {"http.request.method": "GET", "http.request.path": "/geoserver/wms", %s"http.request.remote-addr": "%s", "http.status_code": "200"}, "scope": {"name": "org.georchestra.gateway.accesslog"}}\n' \
        "$(echo "$1$2" | md5sum | cut -c1-16)" "${1:+\"http.request.header.X-Forwarded-For\": \"$1\", }" "$2"
}
{ otel "2001:db8:2::9, 192.0.2.1" "172.18.0.1/<unresolved>:42032"; otel "" "198.51.100.200/<unresolved>:5000"; otel "[2001:db8:1::1]:443" "10.0.0.2"; } > "$tmp/otel.jsonl"
out=$("$analytics" --config "$tmp/config.yaml" ingest --format otel --output - "$tmp/otel.jsonl" 2>"$tmp/err") ||
    report "ingest of OTel records: $(cat "$tmp/err")"
got=$(python3 -c '
import json, sys
print(" ".join(json.loads(l).get("country_code", "null") for l in sys.stdin))' <<<"$out")
[ "$got" = "BR JP FR" ] || report "countries of the OTel records: $got"

# Off by default.
out=$("$analytics" ingest --format combined --output - "$tmp/access.log" 2>"$tmp/err") || report "ingest without a database"
grep -q country_code <<<"$out" && report "a country without geoip.database"

# config check names the database; a bad one is exit 78, whoever reads it.
"$analytics" --config "$tmp/config.yaml" config check >"$tmp/out" 2>&1 || report "config check: $(cat "$tmp/out")"
grep -q "geoip.database: GeoLite2-Country, built 20" "$tmp/out" || report "config check: $(cat "$tmp/out")"
printf 'not a database\n' > "$tmp/corrupt.mmdb"
: > "$tmp/empty.mmdb"
mkdir "$tmp/dir.mmdb"
for bad in "$tmp/missing.mmdb:No such file" "$tmp/corrupt.mmdb:not a MaxMind DB" "$tmp/empty.mmdb:" "$tmp/dir.mmdb:"; do
    path=${bad%%:*} why=${bad#*:}
    config "$path"
    for command in "config check" "ingest --output - $tmp/access.log" "ingest --dry-run $tmp/access.log"; do
        # shellcheck disable=SC2086
        "$analytics" --config "$tmp/config.yaml" $command >"$tmp/out" 2>"$tmp/err"
        status=$?
        [ "$status" -eq 78 ] || report "$command with $path: exit $status, expected 78: $(cat "$tmp/err")"
        grep -q "geoip.database: cannot open $path: .*$why" "$tmp/err" || report "$command with $path: $(cat "$tmp/err")"
        [ -s "$tmp/out" ] && report "$command with $path wrote: $(cat "$tmp/out")"
    done
done
exit $fail
