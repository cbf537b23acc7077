#!/usr/bin/env bash
# ingest into the database: every row once, whatever is re-run, appended,
# rotated, compressed, replaced or forced (SPEC §2 `ingest`, issue 4).
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data/ingest" && pwd)
expect_status 0 "$ANALYTICS" migrate

# A reference schema, loaded once from the final content, to compare with.
printf 'database:\n  schema: ref\n' > "$WORK/ref.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" migrate
ingest_ref() { expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" ingest --format combined "$@"; }
same_as_ref() {
    expect_eq "$(table_digest access_logs analytics)" "$(table_digest access_logs ref)" "$1"
}
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$WORK/out"; }

log="$WORK/logs/access.log"
mkdir -p "$WORK/logs"
make_combined "$WORK/base.log" 20000
# Identical lines (same request, same second): each one is a row.
sed -n '100p' "$WORK/base.log" > "$WORK/dup.log"
cat "$WORK/base.log" "$WORK/dup.log" "$WORK/dup.log" > "$log"

# 1. Load, then load again: nothing twice, the second run reads nothing.
expect_status 0 "$ANALYTICS" --json ingest --format combined --batch-size 3000 "$log"
expect_eq "$(json_field '["stored"]')" "20002" "first load"
expect_eq "$(json_field '["partitions_created"]')" "2" "partitions made on the fly (Feb and Mar in UTC)"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$log"
expect_eq "$(json_field '["stored"]'),$(json_field '["inputs"][0]["status"]')" "0,unchanged" "second load"
expect_eq "$(sql "SELECT count(*) FROM access_logs")" "20002" "rows after two loads"

# 2. The file grows, with more copies of the same line: only the new lines
#    are read, and the copies get new ids (the occurrence count carried over).
cat "$WORK/dup.log" "$WORK/dup.log" >> "$log"
make_combined "$WORK/more.log" 25000
tail -n 5000 "$WORK/more.log" >> "$log"
expect_status 0 "$ANALYTICS" --json ingest --format combined --batch-size 1000 "$log"
expect_eq "$(json_field '["stored"]'),$(json_field '["duplicates"]')" "5002,0" "appended lines"
expect_eq "$(json_field '["inputs"][0]["status"]')" "resumed after line 20002" "resume point"
ingest_ref "$log"
same_as_ref "append = one load of the whole file"

# 3. Rotation: renamed, then compressed; nothing is loaded again.
mv "$log" "$WORK/logs/access.log.1"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$WORK/logs/access.log.1"
expect_eq "$(json_field '["inputs"][0]["status"]')" "unchanged" "renamed file"
gzip "$WORK/logs/access.log.1" && mv "$WORK/logs/access.log.1.gz" "$WORK/logs/access.log.2.gz"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$WORK/logs/access.log.2.gz"
expect_eq "$(json_field '["stored"]'),$(json_field '["skipped_lines"]')" "0,25004" "compressed file read once"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$WORK/logs/"'access.log*'
expect_eq "$(json_field '["inputs"][0]["status"]'),$(json_field '["lines"]')" "unchanged,0" "compressed file known"
same_as_ref "after rotation"

# 4. --force reads everything again and stores nothing new.
expect_status 0 "$ANALYTICS" --json ingest --format combined --force "$WORK/logs/access.log.2.gz"
expect_eq "$(json_field '["stored"]'),$(json_field '["duplicates"]')" "0,25004" "--force"

# 5. A file replaced by another that starts with the same line: read again
#    from the start, and only its new rows are stored.
{ head -n 1 "$WORK/base.log"; tail -n 300 "$WORK/more.log"; } > "$WORK/logs/access.log"
{ head -n 1 "$WORK/base.log"; tail -n 300 "$WORK/more.log"; } > "$WORK/ref.log"
touch -d '2 hours ago' "$WORK/logs/access.log"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$WORK/logs/access.log"
expect_eq "$(json_field '["inputs"][0]["status"]')" "changed: read again from the start" "replaced file"
expect_eq "$(json_field '["stored"]'),$(json_field '["duplicates"]')" "0,301" "replaced file rows"

# 6. stdin: remembered under --source-name only.
make_combined "$WORK/stdin.log" 30000
tail -n 700 "$WORK/stdin.log" > "$WORK/part.log"
expect_status 0 "$ANALYTICS" --json ingest --format combined --source-name feed - < "$WORK/part.log"
expect_eq "$(json_field '["stored"]')" "700" "stdin"
{ cat "$WORK/part.log"; sed -n 29201,29300p "$WORK/stdin.log"; } > "$WORK/part2.log"
expect_status 0 "$ANALYTICS" --json ingest --format combined --source-name feed - < "$WORK/part2.log"
expect_eq "$(json_field '["stored"]'),$(json_field '["skipped_lines"]')" "100,700" "stdin resumed"
expect_status 65 "$ANALYTICS" ingest --format combined --source-name feed - < "$WORK/base.log"
grep -q "does not begin with what was loaded" "$WORK/err" || fail "stdin mismatch: $(cat "$WORK/err")"
expect_status 0 "$ANALYTICS" --json ingest --format combined - < "$WORK/part.log"
expect_eq "$(json_field '["stored"]'),$(json_field '["duplicates"]')" "0,700" "stdin without a name"

# 7. A live file's unterminated last line waits for its newline.
live="$WORK/live.log"
sed -n 27001,27003p "$WORK/stdin.log" > "$live" # lines no other test loads
line4=$(sed -n 27004p "$WORK/stdin.log")
printf '%s' "${line4:0:40}" >> "$live"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$live"
expect_eq "$(json_field '["stored"]')" "3" "partial line held back"
printf '%s\n' "${line4:40}" >> "$live"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$live"
expect_eq "$(json_field '["stored"]'),$(json_field '["rejected"]')" "1,0" "completed line loaded"

# 8. Any month inside the accepted window gets its partition, even far away;
# a line dated outside it (31/Dec/9999, 01/Jan/1900) is rejected with its line
# number, creates no partition and does not stop the rest of its input.
cat > "$WORK/far.log" <<'LOG'
10.0.0.1 - - [15/Jun/2001:10:00:00 +0000] "GET /geoserver/wms?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1" 200 100 "-" "curl/8.0"
10.0.0.1 - - [31/Dec/9999:10:00:00 +0000] "GET /geoserver/wms?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1" 200 100 "-" "curl/8.0"
10.0.0.1 - - [01/Jan/1900:10:00:00 +0000] "GET /geoserver/wms?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1" 200 100 "-" "curl/8.0"
10.0.0.1 - - [15/Jun/2003:10:00:00 +0000] "GET /geoserver/wms?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1" 200 100 "-" "curl/8.0"
LOG
expect_status 0 "$ANALYTICS" --json ingest --format combined --max-reject-ratio 1 "$WORK/far.log"
expect_eq "$(json_field '["stored"]'),$(json_field '["partitions_created"]'),$(json_field '["rejected"]')" "2,2,2" "far months"
expect_eq "$(sql "SELECT string_agg(tableoid::regclass::text, ',' ORDER BY ts) FROM access_logs WHERE ts < '2010-01-01' OR ts > '2099-01-01'")" \
    "access_logs_p200106,access_logs_p200306" "far partitions"
expect_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname ~ '^access_logs_p(9999|1900)'")" "0" "no partition outside the window"
expect_eq "$(sql "SELECT string_agg(line_number || ' ' || split_part(reason, ':', 1), ',' ORDER BY line_number) FROM ingest_rejects WHERE source LIKE '%far.log'")" \
    "2 time outside the accepted window,3 time outside the accepted window" "window rejects with their lines"

# 9. Rejected lines are stored once, with the reason, without secrets.
cp "$DATA/combined.log" "$WORK/bad.log"
echo 'garbage api_key=SECRET123 line' >> "$WORK/bad.log"
expect_status 65 "$ANALYTICS" ingest --format combined "$WORK/bad.log"
expect_status 0 "$ANALYTICS" ingest --format combined --force --max-reject-ratio 1 "$WORK/bad.log"
expect_eq "$(sql "SELECT count(*) FROM ingest_rejects WHERE source LIKE '%bad.log'")" "4" "rejects once"
expect_eq "$(sql "SELECT count(*) FROM ingest_rejects WHERE raw LIKE '%SECRET123%'")" "0" "secret in a reject"

# 10. Rows for a day already rolled up mark it dirty, for both access_logs jobs.
sql "INSERT INTO maintenance_state (job_name, last_processed_date) VALUES ('ogc', '2026-03-31'), ('api_usage', '2026-03-01')" >/dev/null
make_combined "$WORK/late.log" 200000
tail -n 50 "$WORK/late.log" > "$WORK/late-tail.log"
expect_status 0 "$ANALYTICS" --json ingest --format combined "$WORK/late-tail.log"
day=$(sql "SELECT max(ts)::date FROM access_logs WHERE ts < '2027-01-01'")
expect_eq "$(sql "SELECT string_agg(job_name || ' ' || day, ',') FROM rollup_dirty_days")" "ogc $day" "dirty days"
expect_eq "$(json_field '["dirty_days"]')" "1" "dirty days counted"

# 11. Beacon payloads go to their three tables, once.
cat > "$WORK/events.jsonl" <<'LOG'
{"searches":[{"search_id":"s1","occurred_at":"2026-11-20T10:00:00Z","query":"rivers","results_count":12}],"impressions":[{"search_id":"s1","resource_id":"r1","rank":1,"occurred_at":"2026-11-20T10:00:00Z"},{"search_id":"s1","resource_id":"r2","rank":2,"occurred_at":"2026-11-20T10:00:00Z"}],"events":[{"event_id":"e1","event_type":"click","resource_id":"r1","occurred_at":"2026-11-20T10:00:05Z"}]}
{"searches":null,"impressions":[{"search_id":"s1","resource_id":"r3","rank":"x","occurred_at":"2026-11-20T10:00:00Z"}],"events":[{"event_type":"click","occurred_at":"2026-11-20T10:00:05Z"}]}
LOG
expect_status 0 "$ANALYTICS" --json ingest --format events --max-reject-ratio 1 "$WORK/events.jsonl"
expect_eq "$(json_field '["stored"]'),$(json_field '["rejected"]')" "4,2" "beacon rows"
expect_status 0 "$ANALYTICS" --json ingest --format events --force --max-reject-ratio 1 "$WORK/events.jsonl"
expect_eq "$(json_field '["stored"]'),$(json_field '["duplicates"]')" "0,4" "beacon rows once"
expect_eq "$(sql "SELECT (SELECT count(*) FROM searches) || ',' || (SELECT count(*) FROM search_impressions) || ',' || (SELECT count(*) FROM events)")" "1,2,1" "beacon tables"

# The BTAA endpoint's payloads and bad cases (tests/data/ingest/events.jsonl):
# the rows of the golden output are stored, the rejects recorded with reasons.
sql "TRUNCATE searches, search_impressions, events, ingest_rejects" >/dev/null
expect_status 0 "$ANALYTICS" --json ingest --format events --max-reject-ratio 1 "$DATA/events.jsonl"
expect_eq "$(json_field '["stored"]'),$(json_field '["rejected"]')" \
    "$(wc -l < "$DATA/events.expected.jsonl"),$(wc -l < "$DATA/events.rejects.jsonl")" "golden beacons"
expect_eq "$(sql "SELECT string_agg(reason, ' | ' ORDER BY line_number, reason) FROM ingest_rejects")" \
    "$(python3 -c 'import json,sys; print(" | ".join(sorted((json.loads(l)["line"], json.loads(l)["reason"]) for l in open(sys.argv[1])) and [r for _, r in sorted((json.loads(l)["line"], json.loads(l)["reason"]) for l in open(sys.argv[1]))]))' "$DATA/events.rejects.jsonl")" \
    "beacon reject reasons"
expect_eq "$(sql "SELECT zero_results::text || ',' || results_count FROM searches ORDER BY search_id LIMIT 1")" \
    "$(python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["table"]=="searches"]; r.sort(key=lambda x: x["search_id"]); print(("true" if r[0]["zero_results"] else "false") + "," + str(r[0]["results_count"]))' "$DATA/events.expected.jsonl")" \
    "beacon values"
echo "ok"
