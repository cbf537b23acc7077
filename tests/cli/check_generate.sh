#!/usr/bin/env bash
# analytics generate: every format ingests without a reject (format detected),
# a seed gives the same bytes, the traffic has the promised mix and rhythm.
# usage: check_generate.sh ANALYTICS
. "$(dirname "$0")/lib.sh"
analytics=$1
# A Monday to a Monday, in a zone with an offset.
export ANALYTICS_NOW=2026-11-23T00:00:00Z
gen() { "$analytics" generate --from 2026-11-16 --to 2026-11-23 "$@"; }

for format in combined common georchestra regex otel otlp api-json events; do
    gen --format "$format" --rate 40 --seed 5 -o "$tmp/$format.log" >/dev/null || report "$format: generate failed"
    # Auto-detection reads a configured regex's lines as CLF: name the format.
    as=(); [ "$format" = regex ] && as=(--format regex)
    summary=$("$analytics" ingest "${as[@]+"${as[@]}"}" --dry-run --max-reject-ratio 0 "$tmp/$format.log" 2>&1) ||
        report "$format: ingest rejected lines: $summary"
    grep -q ": $format, .* 0 rejected" <<<"$summary" || report "$format: not detected as such: $summary"
done

# Deterministic for a seed, different for another; .gz compresses.
a=$(gen --format otel --rate 50 --seed 9 | md5sum)
b=$(gen --format otel --rate 50 --seed 9 | md5sum)
c=$(gen --format otel --rate 50 --seed 10 | md5sum)
[ "$a" = "$b" ] || report "the same seed gave different output"
[ "$a" != "$c" ] || report "two seeds gave the same output"
gen --format otel --rate 50 --seed 9 -o "$tmp/otel.jsonl.gz" >/dev/null
[ "$(zcat "$tmp/otel.jsonl.gz" | md5sum)" = "$a" ] || report ".gz output differs from plain output"
ls "$tmp"/*.tmp-* >/dev/null 2>&1 && report "a temporary file was left behind"

# The mix: services, clients, statuses, in one week of combined logs.
gen --format combined --rate 400 --seed 1 -o "$tmp/week.log" >/dev/null
"$analytics" ingest --output "$tmp/week.jsonl" "$tmp/week.log" >/dev/null 2>&1
"$analytics" ingest --output - "$tmp/georchestra.log" 2>/dev/null >>"$tmp/week.jsonl"
for expected in '"service":"WMS"' '"service":"WFS"' '"service":"WMTS"' '"service":"WCS"' \
    '"service":"TMS"' '"service":"CSW"' '"service":"OGC API Features"' '"is_download":true' \
    '"user_agent_family":"QGIS"' '"user_agent_family":"ArcGIS Pro"' '"user_agent_family":"Googlebot"' \
    '"user_agent_family":"Chrome"' '"user_agent_family":"OWSLib"' '"status_code":304' \
    '"status_code":403' '"status_code":404' '"status_code":500' '"app_name":"mapserver"' \
    '"app_name":"mapproxy"' '"referring_domain":"www.google.com"' '"org_name":'; do
    grep -qF -- "$expected" "$tmp/week.jsonl" || report "no record with $expected"
done
non_ogc=$(grep -vc '"service"' "$tmp/week.jsonl")
[ "$non_ogc" -gt 0 ] || report "no non-OGC request"
# Rhythm: office hours busier than nights, weekdays busier than weekends.
hour() { grep -c "/Nov/2026:$1:" "$tmp/week.log"; }
day() { grep -c "\[$1/Nov/2026:" "$tmp/week.log"; }
[ "$(hour 10)" -gt $(( 4 * $(hour 03) )) ] || report "10:00 ($(hour 10)) is not far busier than 03:00 ($(hour 03))"
[ "$(day 18)" -gt $(( 2 * $(day 22) )) ] || report "Wednesday ($(day 18)) is not busier than Sunday ($(day 22))"
total=$(wc -l <"$tmp/week.log")
[ "$total" -gt $(( 400 * 168 * 9 / 10 )) ] && [ "$total" -lt $(( 400 * 168 * 11 / 10 )) ] ||
    report "$total lines for 168 hours at 400/hour"

# Bad ranges are usage errors.
"$analytics" generate --from 2026-11-02 --to 2026-11-01 >/dev/null 2>&1; [ $? -eq 64 ] || report "--to before --from is not exit 64"
"$analytics" generate --from yesterday >/dev/null 2>&1; [ $? -eq 64 ] || report "--from yesterday is not exit 64"
[ "$("$analytics" generate --from -1h --rate 100 | wc -l)" -gt 0 ] || report "--from -1h gave nothing"

[ "$fail" -eq 0 ] && echo "generate writes every format, deterministically, with the expected mix"
exit "$fail"
