#!/usr/bin/env bash
# Citus (issue 18): a coordinator and two workers on 127.0.0.1, each a cluster
# of this test. migrate distributes the raw tables and makes the rollup tables
# reference tables; the same inputs loaded into the embedded single server and
# into the Citus cluster (ingest, process with two runs at once, maintain)
# give the same raw rows, the same rollup tables and the same report --json.
# The rows spread evenly over the two workers; size-report sums the nodes and
# shows each with --per-node; retention drops a month on every node; kill -9
# of ingest and a worker stopped mid-ingest are followed by exact re-runs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/extension_lib.sh"
need_extension citus

start_citus

printf 'timezone: Europe/Paris\nretention:\n  access_logs: 60\n' > "$WORK/config.yaml"
export ANALYTICS_CONFIG="$WORK/config.yaml" ANALYTICS_NOW=2026-11-23T08:00:00+01:00
citus=$(conninfo coord)

# Three weeks of gateway logs, a month older than retention keeps, beacons,
# and OpenTelemetry rows for process.
"$ANALYTICS" generate -f georchestra --from 2026-11-02 --to 2026-11-23 --rate 40 --seed 5 \
    -o "$WORK/access.log.gz" >/dev/null
"$ANALYTICS" generate -f georchestra --from 2026-08-10 --to 2026-08-12 --rate 60 --seed 6 \
    -o "$WORK/old.log.gz" >/dev/null
"$ANALYTICS" generate -f events --from 2026-11-02 --to 2026-11-23 --rate 10 --seed 5 \
    -o "$WORK/beacons.jsonl" >/dev/null
awk 'BEGIN {
    for (i = 0; i < 10000; i++) {
        printf "{\"timestamp\":\"2026-11-%02dT%02d:%02d:%02d.%06dZ\",\"span_id\":\"%016x\",\"trace_id\":\"%032x\",\"message\":\"\",", 3 + int(i / 1000), int(i / 100) % 24, int(i / 7) % 60, i % 60, i, i, i;
        printf "\"source_type\":\"opentelemetry\",\"scope\":{\"name\":\"org.georchestra.gateway.accesslog\"},\"resources\":{\"service.name\":\"gateway\"},";
        printf "\"attributes\":{\"enduser.id\":\"user%d\",\"enduser.org.id\":\"ORG%d\",\"http.request.method\":\"GET\",\"http.request.path\":\"/geoserver/psc/wms\",", i % 50, i % 7;
        printf "\"http.request.query-string\":\"SERVICE=WMS&REQUEST=GetMap&LAYERS=psc:l%d\",\"http.status_code\":\"200\",\"server.address\":\"geo.example.org\"}}\n", i % 9;
    }
}' > "$WORK/otel.jsonl"

# load: the whole history into the current target, as an installation runs.
load() {
    expect_status 0 "$ANALYTICS" migrate
    cp "$WORK/out" "$WORK/migrate.out"
    expect_status 0 "$ANALYTICS" ingest "$WORK/old.log.gz" "$WORK/access.log.gz"
    expect_status 0 "$ANALYTICS" ingest -f events "$WORK/beacons.jsonl"
    fill_buffer "$WORK/otel.jsonl"
    "$ANALYTICS" process --batch-size 700 >/dev/null 2>"$WORK/p1.err" &
    local one=$!
    "$ANALYTICS" process --batch-size 700 >/dev/null 2>"$WORK/p2.err" || fail "process: $(cat "$WORK/p2.err")"
    wait "$one" || fail "process: $(cat "$WORK/p1.err")"
    expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" 0 "buffer drained"
    # Rolled up first, so that August may go (retention waits for the rollups).
    expect_status 0 "$ANALYTICS" rollup
    expect_status 0 "$ANALYTICS" maintain
    cp "$WORK/out" "$WORK/maintain.out"
}

# dump DIR: every raw and rollup table (sorted rows), the dropped months and
# the report, to compare two targets.
dump() {
    mkdir -p "$1"
    local t
    # Every table of the catalogue but the visitor key, which each database
    # draws with its own random salt (its counts are compared in the rollups).
    # The rows are materialised first, so that to_jsonb runs on the
    # coordinator, in analytics' session zone, not on a worker in its own.
    for t in access_logs searches search_impressions events ogc_summary_hourly ogc_summary_daily \
             ogc_summary_monthly daily_api_usage_metrics daily_search_metrics daily_resource_metrics \
             daily_access_summary monthly_access_summary daily_country_summary \
             monthly_country_summary dataapi_summary_hourly \
             dataapi_summary_daily dataapi_summary_monthly; do
        sql "WITH t AS MATERIALIZED (SELECT * FROM analytics.$t)
             SELECT (to_jsonb(t) - 'visitor_key' - 'updated_at')::text FROM t ORDER BY 1" |
            cat > "$1/$t"
    done
    sql "SELECT table_name, month FROM dropped_months ORDER BY 1, 2" > "$1/dropped_months"
    sql "SELECT job_name, last_processed_date FROM maintenance_state ORDER BY 1" > "$1/checkpoints"
    "$ANALYTICS" --json report --top 20 > "$1/report.json" || fail "report"
}

# 1. The single server (the embedded cluster).
load
dump "$WORK/single"
[ "$(wc -l < "$WORK/single/access_logs")" -gt 25000 ] || fail "too few rows loaded"
grep -q access_logs "$WORK/single/dropped_months" || fail "retention dropped no month on one server"

# 2. The Citus cluster: the same commands, unchanged.
export ANALYTICS_DB="$citus"
load
grep -q "Citus coordinator, workers 127.0.0.1:$PORT_w1, 127.0.0.1:$PORT_w2" "$WORK/migrate.out" ||
    fail "migrate said nothing of Citus: $(cat "$WORK/migrate.out")"
placement=$(psql_on coord "SELECT logicalrelid::text || ' ' || partmethod::text || ' ' ||
        coalesce(column_to_column_name(logicalrelid, partkey), '-')
    FROM pg_dist_partition WHERE logicalrelid::text NOT LIKE '%\_p2%' ORDER BY 1")
expected="analytics.access_logs h id
analytics.daily_access_summary n -
analytics.daily_api_usage_metrics n -
analytics.daily_country_summary n -
analytics.daily_resource_metrics n -
analytics.daily_search_metrics n -
analytics.dataapi_summary_daily n -
analytics.dataapi_summary_hourly n -
analytics.dataapi_summary_monthly n -
analytics.events h event_id
analytics.monthly_access_summary n -
analytics.monthly_country_summary n -
analytics.ogc_summary_daily n -
analytics.ogc_summary_hourly n -
analytics.ogc_summary_monthly n -
analytics.search_impressions h search_id
analytics.searches h search_id"
expect_eq "$placement" "$expected" "tables placed on Citus"
dump "$WORK/citus"
for f in "$WORK"/single/*; do
    diff -q "$f" "$WORK/citus/$(basename "$f")" >/dev/null ||
        fail "$(basename "$f") differs between one server and Citus:
$(diff "$f" "$WORK/citus/$(basename "$f")" | grep -m1 '^<')
$(diff "$f" "$WORK/citus/$(basename "$f")" | grep -m1 '^>')"
done

# The rows really are on the workers, evenly: each holds 40-60% of access_logs.
spread=$(psql_on coord "SELECT string_agg(round(100.0 * n / total)::text, ' ' ORDER BY port)
    FROM (SELECT s.nodeport AS port, sum(r.result::bigint) AS n,
                 sum(sum(r.result::bigint)) OVER () AS total
          FROM run_command_on_shards('analytics.access_logs_p202611', 'SELECT count(*) FROM %s') r
          JOIN citus_shards s USING (shardid) GROUP BY 1) per_node")
for share in $spread; do
    [ "$share" -ge 40 ] && [ "$share" -le 60 ] || fail "uneven spread over the workers: $spread %"
done
[ "$(wc -w <<<"$spread")" = 2 ] || fail "rows on $(wc -w <<<"$spread") workers, expected 2"
# Retention dropped August's partition, and its shards on the workers with it.
expect_eq "$(psql_on w1 "SELECT count(*) FROM pg_class WHERE relname LIKE 'access_logs_p202608%'")" 0 \
    "August shards on worker 1 after retention"

# 3. size-report: the shards' sizes summed over the nodes; --per-node shows each.
expect_status 0 "$ANALYTICS" --json size-report --exact --per-node
python3 - "$WORK/out" "$PORT_w1" "$PORT_w2" <<'PY' || fail "size-report on Citus: $(head -c 600 "$WORK/out")"
import json, sys
r = json.load(open(sys.argv[1]))
rel = {x["name"]: x for x in r["relations"]}
logs = rel["access_logs"]
assert logs["total_bytes"] > 1_000_000, logs["total_bytes"]
assert logs["rows"] > 25000, logs["rows"]
nodes = {n["node"]: n for n in logs["nodes"]}
assert set(nodes) == {"127.0.0.1:" + sys.argv[2], "127.0.0.1:" + sys.argv[3]}, nodes.keys()
assert sum(n["total_bytes"] for n in nodes.values()) == logs["total_bytes"]
assert sum(n["rows"] for n in nodes.values()) == logs["rows"]
assert all(n["total_bytes"] > 0 for n in nodes.values())
assert r["total"]["total_bytes"] >= sum(x["total_bytes"] for x in r["relations"]) > 0
PY

# 4. kill -9 of ingest mid-run, then a worker stopped mid-ingest: each time
# the re-run leaves access_logs as the uninterrupted run did (schema "crash",
# distributed as well).
printf 'timezone: Europe/Paris\ndatabase:\n  schema: crash\n' > "$WORK/crash.yaml"
export ANALYTICS_CONFIG="$WORK/crash.yaml"
make_combined "$WORK/combined.log" 40000
expect_status 0 "$ANALYTICS" migrate
expect_status 0 "$ANALYTICS" ingest -f combined "$WORK/combined.log"
reference=$(table_digest access_logs crash)
reset() { sql "TRUNCATE access_logs, ingest_registry, ingest_registry_files, ingest_rejects" >/dev/null; }

reset
# after_rows PID: waits until the first batches are committed (the run is
# then mid-way whatever the machine's speed); fails if PID ended first.
after_rows() {
    for _ in $(seq 600); do
        [ "$(sql "SELECT count(*) > 0 FROM access_logs")" = t ] && return 0
        kill -0 "$1" 2>/dev/null || fail "ingest ended before it could be interrupted"
        sleep 0.1
    done
    fail "no rows committed after a minute"
}
"$ANALYTICS" ingest -f combined --batch-size 1000 "$WORK/combined.log" >/dev/null 2>&1 &
pid=$!
after_rows "$pid"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
partial=$(sql "SELECT count(*) FROM access_logs")
[ "$partial" -lt 40000 ] || fail "ingest was not interrupted ($partial rows)"
expect_status 0 "$ANALYTICS" ingest -f combined --batch-size 2000 "$WORK/combined.log"
expect_eq "$(table_digest access_logs crash)" "$reference" "kill -9 ($partial rows then) and a re-run"

reset
"$ANALYTICS" ingest -f combined --batch-size 1000 "$WORK/combined.log" >/dev/null \
    2>"$WORK/stopped.err" &
pid=$!
after_rows "$pid"
stop_cluster w2 immediate
set +e; wait "$pid"; status=$?; set -e
expect_eq "$status" 69 "exit status with a worker stopped ($(cat "$WORK/stopped.err"))"
grep -q "127.0.0.1:$PORT_w2" "$WORK/stopped.err" ||
    fail "the message does not name the stopped worker: $(cat "$WORK/stopped.err")"
restart_cluster w2
# The batch cut by the stop may have left prepared transactions on the
# worker; Citus' maintenance daemon resolves them within a minute, this at once.
psql_on coord "SELECT recover_prepared_transactions()" >/dev/null
expect_status 0 "$ANALYTICS" ingest -f combined --batch-size 2000 "$WORK/combined.log"
expect_eq "$(table_digest access_logs crash)" "$reference" "a worker stopped, then a re-run"
echo "PASS"
