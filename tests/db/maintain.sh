#!/usr/bin/env bash
# maintain: the BTAA retention case, the lock (75 / --wait), kill -9 then a
# clean re-run, a failing rollup job that does not stop the rest, metrics.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
partitions() {
    sql "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r'
         AND c.relnamespace = 'analytics'::regnamespace"
}
# One row an hour in every raw table, 2026-08-10 .. 2026-11-21 (UTC).
expect_status 0 env ANALYTICS_PARTITION_HISTORY_MONTHS=0 ANALYTICS_PARTITION_FUTURE_MONTHS=3 \
    "$ANALYTICS" --now 2026-08-10 ensure-partitions
sql "INSERT INTO access_logs (id, ts, request_path, request_details)
       SELECT 'x' || g, timestamptz '2026-08-10' + g * interval '1 hour', '/geoserver/wms',
              '{\"tags\": [\"ogc\"], \"service\": \"WMS\"}' FROM generate_series(0, 2495) g;
     INSERT INTO searches (search_id, occurred_at) SELECT 's' || g, timestamptz '2026-08-10' + g * interval '1 hour' FROM generate_series(0, 2495) g;
     INSERT INTO search_impressions (search_id, occurred_at, resource_id, rank) SELECT 's' || g, timestamptz '2026-08-10' + g * interval '1 hour', 'r', 1 FROM generate_series(0, 2495) g;
     INSERT INTO events (event_id, occurred_at, event_type, resource_id) SELECT 'e' || g, timestamptz '2026-08-10' + g * interval '1 hour', 'click', 'r' FROM generate_series(0, 2495) g" >/dev/null

# Nothing is rolled up yet. A dry run says what a real run would do (roll
# up 31 days, then drop August's expired partitions) and changes nothing.
before=$(partitions)
expect_status 0 "$ANALYTICS" --now 2026-11-22 --json maintain --dry-run
python3 - "$WORK/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert sorted(d["partition"] for d in r["retention"]["dropped"]) == ["access_logs_p202608", "search_impressions_p202608"], r["retention"]
assert [j["checkpoint"] for j in r["rollup"]["jobs"]] == ["2026-09-09"] * 6, r["rollup"]
PY
expect_eq "$(partitions)" "$before" "a dry run drops nothing"
expect_eq "$(sql "SELECT count(*) FROM maintenance_state") $(sql "SELECT count(*) FROM ogc_summary_daily") $(sql "SELECT count(*) FROM dropped_months")" "0 0 0" "a dry run writes nothing"

# Another maintain holds the lock: exit 75 at once.
hold_lock() { # SECONDS
    "$ANALYTICS" db psql -X -q -c "SELECT pg_advisory_lock(hashtext('analytics:maintain'), hashtext('analytics')), pg_sleep($1)" >/dev/null
}
hold_lock 3 &
holder=$!
sleep 1
start=$(date +%s)
expect_status 75 "$ANALYTICS" --now 2026-11-22 maintain
grep -q "another 'analytics maintain' is running" "$WORK/err" || fail "lock message: $(cat "$WORK/err")"
[ $(( $(date +%s) - start )) -le 2 ] || fail "exit 75 was not immediate"
wait "$holder" || true

# kill -9 in the middle of a long run (the rollup cap is lifted: 103 days
# for four jobs), then a run that waits for the lock and completes.
export ANALYTICS_ROLLUP_MAX_DAYS_PER_RUN=400
"$ANALYTICS" --now 2026-11-22 maintain >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
hold_lock 2 &
holder=$!
sleep 0.5
start=$(date +%s%N)
expect_status 0 "$ANALYTICS" --now 2026-11-22 --json maintain --wait --metrics-file "$WORK/maintain.prom"
[ $(( ($(date +%s%N) - start) / 1000000 )) -ge 1000 ] || fail "--wait did not wait"
wait "$holder" || true
expect_eq "$(sql "SELECT string_agg(job_name || ' ' || last_processed_date, ',' ORDER BY job_name) FROM maintenance_state")" \
    "access 2026-11-21,api_usage 2026-11-21,dataapi 2026-11-21,ogc 2026-11-21,resource 2026-11-21,search 2026-11-21" "checkpoints after kill -9 and a re-run"
expect_eq "$(sql "SELECT sum(nb_req) FROM ogc_summary_daily WHERE bucket_daily >= '2026-10-01'")" \
    "$(sql "SELECT count(*) FROM access_logs WHERE ts >= '2026-10-01' AND ts < '2026-11-22'")" "daily totals after kill -9"
expect_eq "$(sql "SELECT sum(requests_count) FROM daily_api_usage_metrics WHERE metric_date >= '2026-10-01'")" \
    "$(sql "SELECT count(*) FROM access_logs WHERE ts >= '2026-10-01' AND ts < '2026-11-22'")" "api totals after kill -9"

# BTAA §2.5 on 2026-11-22 (retention 30 / 90 days): the access logs and
# impressions of August and September go, searches and events stay.
# (ensure-partitions added the two future months.)
expect_eq "$(partitions)" "access_logs_p202610 access_logs_p202611 access_logs_p202612 access_logs_p202701 events_p202608 events_p202609 events_p202610 events_p202611 events_p202612 events_p202701 search_impressions_p202610 search_impressions_p202611 search_impressions_p202612 search_impressions_p202701 searches_p202608 searches_p202609 searches_p202610 searches_p202611 searches_p202612 searches_p202701" \
    "partitions after retention"
# Rollups outlive their raw data; hourly ones are kept 21 days.
expect_eq "$(sql "SELECT min(bucket_daily)::date FROM ogc_summary_daily")" "2026-08-10" "daily rollups of dropped months"
expect_eq "$(sql "SELECT min(bucket_hourly) >= timestamptz '2026-11-01' FROM ogc_summary_hourly")" "t" "hourly rollups pruned at 21 days"
grep -q 'analytics_maintain_step_success{command="maintain",step="retention"} 1' "$WORK/maintain.prom" || fail "metrics: $(cat "$WORK/maintain.prom")"
grep -q 'analytics_partitions_dropped{command="maintain"}' "$WORK/maintain.prom" || fail "dropped metric"

# A failing rollup job: reported, exit 1; the other jobs and the retention
# of the tables they gate still run; its own tables keep their months.
sql "ALTER TABLE daily_api_usage_metrics ADD CONSTRAINT simulated_failure CHECK (requests_count < 0) NOT VALID" >/dev/null
sql "INSERT INTO access_logs (id, ts, request_details) SELECT 'late' || g, timestamptz '2026-11-25' + g * interval '1 hour', '{\"tags\": [\"ogc\"]}' FROM generate_series(0, 47) g" >/dev/null
expect_status 1 "$ANALYTICS" --now 2027-01-05 --json maintain
python3 - "$WORK/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
steps = {s["step"]: s for s in r["steps"]}
assert steps["rollup"]["error"], steps
assert steps["retention"]["error"] is None and steps["ensure-partitions"]["error"] is None, steps
jobs = {j["job"]: j for j in r["rollup"]["jobs"]}
assert "simulated_failure" in jobs["api_usage"]["error"], jobs
assert jobs["ogc"]["checkpoint"] == "2027-01-04", jobs["ogc"]
dropped = {d["partition"] for d in r["retention"]["dropped"]}
kept = {k["partition"]: k["reason"] for k in r["retention"]["kept"]}
assert "search_impressions_p202610" in dropped and "searches_p202608" in dropped, dropped
assert "access_logs_p202610" in dropped, dropped
assert "access_logs_p202611" in kept and "api_usage" in kept["access_logs_p202611"], kept
PY
echo "ok"
