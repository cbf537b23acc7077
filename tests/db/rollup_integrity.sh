#!/usr/bin/env bash
# Rollups are the permanent record (SPEC §9): late rows for a month that
# retention dropped never touch its rollups (ingest and process); writers and
# maintain overlapping leave the rollups equal to plain SQL over the raw
# rows; rows outside the accepted time window are rejected with their line;
# the checkpoint moves over days without data; maintain --dry-run states
# exactly what the real run does, and ingest warns of rows past retention.
# Each scenario has a schema of its own in one embedded cluster.
. "$(dirname "$0")/lib.sh"
export PGTZ=UTC
ROLLUP_TZ=UTC
. "$(dirname "$0")/rollup_expected.sh"

use_schema() { # SCHEMA: a configuration for it, migrated
    echo "# ${SECONDS} s: schema $1"
    printf 'timezone: UTC\ndatabase:\n  schema: %s\n' "$1" > "$WORK/$1.yaml"
    export ANALYTICS_CONFIG="$WORK/$1.yaml" # 'analytics db psql' (sql) uses its schema too
    expect_status 0 "$ANALYTICS" migrate
}
json() { python3 -c 'import json,sys; print(eval("json.load(open(sys.argv[1]))" + sys.argv[2]))' "$WORK/out" "$1"; }
# Every rollup table, row for row (updated_at aside).
rollup_digest() {
    local t digest=""
    for t in ${HOURLY-ogc_summary_hourly} ogc_summary_daily ogc_summary_monthly daily_api_usage_metrics \
        daily_search_metrics daily_resource_metrics; do
        digest+=$(sql "SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '' ORDER BY r::text)), '-')
                       FROM (SELECT (to_jsonb(t) - 'updated_at')::text AS r FROM $t t) s")" "
    done
    echo "$digest"
}
gateway_rows() { # COUNT SPAN_PREFIX FIRST_TIMESTAMP STEP: buffer rows as Vector writes them
    sql "INSERT INTO opentelemetry_buffer (\"timestamp\", span_id, trace_id, message, source_type, scope, attributes)
         SELECT timestamptz '$3' + (g - 1) * interval '$4', '$2' || g, 't$2' || g, '', 'opentelemetry',
                '{\"name\": \"org.georchestra.gateway.accesslog\"}',
                '{\"http.request.method\": \"GET\", \"http.request.path\": \"/geoserver/psc/wms\",
                  \"http.request.query-string\": \"SERVICE=WMS&REQUEST=GetMap&LAYERS=psc:a\",
                  \"http.status_code\": \"200\", \"server.address\": \"geo.example.org\"}'
         FROM generate_series(1, $1) g" >/dev/null
}

# 1. Late rows for a month retention dropped: set aside, never stored raw,
# never a partition again, the month's rollups as they were.
use_schema late
"$ANALYTICS" generate --format combined --from 2026-10-01T00:00:00Z --to 2026-11-01T00:00:00Z \
    --rate 12 --seed 1 -o "$WORK/october.log"
expect_status 0 "$ANALYTICS" --now 2026-11-02 ingest "$WORK/october.log"
expect_status 0 env ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=400 "$ANALYTICS" --now 2026-12-10 rollup
check_all 2026-10-01 2026-11-01 "october"
before=$(HOURLY='' rollup_digest) # hourly rows go after 21 days, by policy
expect_status 0 "$ANALYTICS" --now 2026-12-10 --json maintain
expect_eq "$(json '["retention"]["dropped"][0]["partition"]')" "access_logs_p202610" "october dropped"
expect_eq "$(sql "SELECT table_name || ' ' || month FROM dropped_months")" "access_logs 2026-10-01" "drop recorded"
expect_eq "$(HOURLY='' rollup_digest)" "$before" "rollups kept by the drop"
before=$(rollup_digest)

"$ANALYTICS" generate --format combined --from 2026-10-20T00:00:00Z --to 2026-10-21T00:00:00Z \
    --rate 20 --seed 2 -o "$WORK/late.log"
late_lines=$(wc -l < "$WORK/late.log")
expect_status 0 "$ANALYTICS" --now 2026-12-10 --json ingest "$WORK/late.log"
expect_eq "$(json '["stored"]') $(json '["set_aside"]') $(json '["rejected"]') $(json '["partitions_created"]')" \
    "0 $late_lines 0 0" "late rows set aside"
expect_status 0 "$ANALYTICS" --now 2026-12-10 ingest --force "$WORK/late.log"
grep -q "set aside $late_lines rows of months already rolled up and dropped (access_logs $late_lines)" "$WORK/out" ||
    fail "set-aside summary: $(cat "$WORK/out")"
expect_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname = 'access_logs_p202610'")" "0" "no partition re-created"
expect_eq "$(sql "SELECT count(*) FROM ingest_rejects WHERE reason LIKE 'its month was rolled up and dropped: access_logs 2026-10, dropped on %'")" \
    "$late_lines" "set-aside rows kept with their reason"
# The same late row through Vector's buffer.
gateway_rows 1 late '2026-10-20 10:00:00+00' '1 second'
expect_status 0 "$ANALYTICS" --now 2026-12-10 --json process
expect_eq "$(json '["stored"]') $(json '["set_aside"]') $(json '["rejected"]')" "0 1 0" "late buffer row set aside"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "0" "buffer drained"
# ensure-partitions does not bring it back either, whatever the history.
expect_status 0 env ANALYTICS_PARTITION_HISTORY_MONTHS=6 ANALYTICS_RETENTION_API_USAGE=365 \
    "$ANALYTICS" --now 2026-12-10 ensure-partitions
expect_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname = 'access_logs_p202610'")" "0" "ensure-partitions skips a dropped month"
expect_status 0 "$ANALYTICS" --now 2026-12-11 maintain
expect_eq "$(rollup_digest)" "$before" "rollups untouched by late rows"

# 2. Writers and maintain overlap: ingest in small batches, process, and
# reprocess run while maintain loops; afterwards (one more maintain) every
# rollup equals plain SQL over the raw rows, whatever the interleaving.
use_schema overlap
export ANALYTICS_NOW='2026-11-21 12:00:00+00'
"$ANALYTICS" generate --format combined --from 2026-11-18T00:00:00Z --to 2026-11-21T12:00:00Z \
    --rate 120 --seed 3 -o "$WORK/base.log"
expect_status 0 "$ANALYTICS" ingest "$WORK/base.log"
for round in 1 2 3; do
    echo "# ${SECONDS} s: round $round"
    "$ANALYTICS" generate --format combined --from 2026-11-19T00:00:00Z --to 2026-11-21T00:00:00Z \
        --rate 250 --seed $((10 + round)) -o "$WORK/late$round.log"
    gateway_rows 200 "r${round}s" '2026-11-20 00:03:00+00' '7 minutes'
    "$ANALYTICS" ingest -q --batch-size $((round * 200)) "$WORK/late$round.log" >"$WORK/ingest$round.out" 2>&1 &
    writer=$!
    ( for i in 1 2 3 4 5 6; do "$ANALYTICS" process -q --batch-size 25 || exit 1; sleep 0.$((round * 2)); done ) \
        >"$WORK/process$round.out" 2>&1 &
    processor=$!
    # Days 19 and 20 are rolled up again and again while rows arrive (a
    # bounded number of times, at least once after the writer ended).
    ( for i in $(seq 1 40); do
          "$ANALYTICS" maintain -q --wait || exit 1
          "$ANALYTICS" rollup -q --from 2026-11-19 --to 2026-11-20 || exit 1
          kill -0 "$writer" 2>/dev/null || break
      done ) >"$WORK/maintain$round.out" 2>&1 &
    maintainer=$!
    if [ "$round" -eq 2 ]; then
        "$ANALYTICS" process -q --reprocess --from 2026-11-19 --to 2026-11-20 >"$WORK/reprocess.out" 2>&1 ||
            fail "reprocess: $(cat "$WORK/reprocess.out")"
    fi
    wait "$writer" || fail "round $round ingest: $(cat "$WORK/ingest$round.out")"
    wait "$processor" || fail "round $round process: $(cat "$WORK/process$round.out")"
    wait "$maintainer" || fail "round $round maintain: $(cat "$WORK/maintain$round.out")"
    expect_status 0 "$ANALYTICS" maintain
    check_all 2026-11-18 2026-11-21 "overlap round $round"
    check_today '2026-11-21 00:00' '2026-11-21 12:00' "overlap round $round"
    expect_eq "$(sql "SELECT count(*) FROM rollup_dirty_days")" "0" "round $round: no dirty day left"
done
unset ANALYTICS_NOW

# 3. The accepted time window, on every path: one absurd date is rejected with
# its line number and never creates a partition; the rest is stored.
use_schema window
cat > "$WORK/api.jsonl" <<'LOG'
{"endpoint": "/api/v1/search", "method": "GET", "status_code": 200, "requested_at": "2026-11-20T10:00:00Z"}
{"endpoint": "/api/v1/search", "method": "GET", "status_code": 200, "requested_at": "9999-12-31T10:00:00Z"}
{"endpoint": "/api/v1/search", "method": "GET", "status_code": 200, "requested_at": "1900-01-01T10:00:00Z"}
{"endpoint": "/api/v1/search", "method": "GET", "status_code": 200, "requested_at": "2026-11-20T11:00:00Z"}
LOG
expect_status 0 "$ANALYTICS" --now 2026-11-21 ingest --format api-json --max-reject-ratio 1 \
    --output - --rejects "$WORK/window.rejects" "$WORK/api.jsonl"
expect_eq "$(wc -l < "$WORK/out")" "2" "records inside the window"
expect_eq "$(python3 -c 'import json,sys; print(",".join(str(json.loads(l)["line"]) for l in open(sys.argv[1])))' "$WORK/window.rejects")" "2,3" "rejected lines"
expect_status 0 "$ANALYTICS" --now 2026-11-21 --json ingest --format api-json --max-reject-ratio 1 "$WORK/api.jsonl"
expect_eq "$(json '["stored"]') $(json '["rejected"]') $(json '["rejects"]["time outside the accepted window"]')" "2 2 2" "window on load"
gateway_rows 1 future '9999-12-31 10:00:00+00' '1 second'
expect_status 0 "$ANALYTICS" --now 2026-11-21 --json process
expect_eq "$(json '["stored"]') $(json '["rejected"]')" "0 1" "window on process"
expect_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname ~ '_p(9999|1900)'")" "0" "no partition outside the window"
# A configured window: a wider past, a narrower future.
printf 'timezone: UTC\ndatabase:\n  schema: window\ningest:\n  earliest: 1890-01-01\n  max_future: 0s\n' > "$WORK/window2.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/window2.yaml" --now '2026-11-20 10:30:00+00' ingest \
    --format api-json --max-reject-ratio 1 --output - "$WORK/api.jsonl"
expect_eq "$(python3 -c 'import json,sys; print(",".join(json.loads(l)["ts"][:4] for l in open(sys.argv[1])))' "$WORK/out")" \
    "2026,1900" "configured window"
printf 'ingest:\n  max_future: 3 days\n' > "$WORK/bad-window.yaml"
expect_status 78 "$ANALYTICS" --config "$WORK/bad-window.yaml" config check

# 4. The checkpoint moves over days without data (no partition at all in
# July and August), up to yesterday, within the per-run cap.
use_schema gaps
cat > "$WORK/gaps.log" <<'LOG'
10.0.0.1 - - [01/Jun/2026:10:00:00 +0000] "GET /geoserver/wms?SERVICE=WMS&REQUEST=GetMap&LAYERS=a HTTP/1.1" 200 100 "-" "curl/8.0"
10.0.0.1 - - [15/Sep/2026:10:00:00 +0000] "GET /geoserver/wms?SERVICE=WMS&REQUEST=GetMap&LAYERS=a HTTP/1.1" 200 100 "-" "curl/8.0"
LOG
expect_status 0 "$ANALYTICS" --now 2026-09-20 ingest "$WORK/gaps.log"
for run in 1 2 3 4; do
    expect_status 0 "$ANALYTICS" --now 2026-09-20 --json maintain
    expect_eq "$(json '["rollup"]["jobs"][0]["skipped"]')" "[]" "run $run: nothing said dropped"
done
expect_eq "$(sql "SELECT last_processed_date FROM maintenance_state WHERE job_name = 'ogc'")" "2026-09-19" "checkpoint up to yesterday"
check_all 2026-07-01 2026-09-20 "after a gap"
expect_eq "$(sql "SELECT count(*) FROM ogc_summary_daily WHERE bucket_daily = '2026-06-01'")" "1" "June rolled up, then dropped"
expect_eq "$(sql "SELECT count(*) FROM ogc_summary_daily WHERE bucket_daily = '2026-09-15'")" "1" "the day after the gap"

# 5. Retention you can foresee: ingest says which rows the next maintain
# drops; maintain --dry-run lists exactly what the real run then does.
use_schema foresee
"$ANALYTICS" generate --format combined --from 2024-10-01T00:00:00Z --to 2024-10-04T00:00:00Z \
    --rate 30 --seed 5 -o "$WORK/old.log"
expect_status 0 "$ANALYTICS" --now 2026-12-10 ingest "$WORK/old.log"
old_lines=$(wc -l < "$WORK/old.log")
grep -q "note: $(python3 -c "print(f'{$old_lines:,}')") rows are older than access_logs' 30 days: the next maintain rolls them up and drops their raw month" "$WORK/out" ||
    fail "retention notice: $(cat "$WORK/out")"
expect_status 0 env ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=400 "$ANALYTICS" --now 2026-12-10 --json maintain --dry-run
cp "$WORK/out" "$WORK/dry.json"
expect_eq "$(sql "SELECT count(*) FROM maintenance_state") $(sql "SELECT count(*) FROM dropped_months")" "0 0" "the dry run changed nothing"
expect_status 0 env ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=400 "$ANALYTICS" --now 2026-12-10 --json maintain
python3 - "$WORK/dry.json" "$WORK/out" <<'PY'
import json, sys
dry, real = (json.load(open(p)) for p in sys.argv[1:])
def plan(r):
    return (sorted(d["partition"] for d in r["retention"]["dropped"]),
            sorted((p["table"], p["rows"]) for p in r["retention"]["pruned"]),
            [(j["job"], j["days"], j["empty"], j["months"], j["rows"], j["checkpoint"]) for j in r["rollup"]["jobs"]])
assert plan(dry) == plan(real), (plan(dry), plan(real))
dropped, pruned, _ = plan(real)
assert "access_logs_p202410" in dropped, dropped
assert {t for t, _ in pruned} >= {"ogc_summary_hourly", "ogc_summary_daily", "daily_api_usage_metrics"}, pruned
print("dry run == real run:", dropped, pruned)
PY
expect_eq "$(sql "SELECT count(*) > 0 FROM ogc_summary_monthly WHERE bucket_monthly = '2024-10-01'")" "t" "monthly rollups kept"
echo "ok (${SECONDS} s)"
