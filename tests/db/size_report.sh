#!/usr/bin/env bash
# size-report: every table and partition, totals, text/JSON/CSV, stdout only.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$ANALYTICS" migrate
sql "CREATE TABLE access_logs_p202610 PARTITION OF access_logs
       FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00');
     CREATE TABLE access_logs_p202611 PARTITION OF access_logs
       FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');
     INSERT INTO access_logs (id, ts, request_path)
       SELECT 'r' || g, timestamptz '2026-10-15' + g * interval '10 seconds', repeat('x', 100)
       FROM generate_series(1, 3000) g;
     INSERT INTO access_logs (id, ts) SELECT 'n' || g, timestamptz '2026-11-02' FROM generate_series(1, 500) g;
     ANALYZE" >/dev/null

expect_status 0 "$ANALYTICS" size-report --exact
[ -s "$WORK/err" ] && fail "stderr not clean: $(cat "$WORK/err")"
grep -Eq '^access_logs +partitioned +3,500 .* 2026-10\.\.2026-11$' "$WORK/out" || fail "parent line: $(cat "$WORK/out")"
grep -Eq '^  access_logs_p202610 +partition +3,000 .* 2026-10$' "$WORK/out" || fail "partition line"
grep -Eq '^TOTAL \(27 tables, 2 partitions\)' "$WORK/out" || fail "total line"
# Largest first: access_logs now outweighs every other table.
expect_eq "$(sed -n 3p "$WORK/out" | awk '{print $1}')" "access_logs" "largest first"

expect_status 0 "$ANALYTICS" size-report --exact --json
json="$WORK/report.json"; cp "$WORK/out" "$json"
python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["rows"] == "exact", r["rows"]
rel = {x["name"]: x for x in r["relations"]}
logs = rel["access_logs"]
assert logs["rows"] == 3500, logs["rows"]
assert [p["name"] for p in logs["partitions"]] == ["access_logs_p202610", "access_logs_p202611"]
for key in ("table_bytes", "index_bytes", "toast_bytes", "total_bytes"):
    assert logs[key] == sum(p[key] for p in logs["partitions"]), key
    assert r["total"][key] == sum(x[key] for x in r["relations"]), key
for x in r["relations"] + logs["partitions"]:
    assert x["total_bytes"] == x["table_bytes"] + x["index_bytes"] + x["toast_bytes"], x["name"]
totals = [x["total_bytes"] for x in r["relations"]]
assert totals == sorted(totals, reverse=True), "not largest first"
assert (logs["first_month"], logs["last_month"]) == ("2026-10", "2026-11")
assert r["total"]["partitions"] == 2 and r["total"]["tables"] == 27
PY

expect_status 0 "$ANALYTICS" size-report --csv
expect_eq "$(head -1 "$WORK/out")" "relation,parent,kind,rows,table_bytes,index_bytes,toast_bytes,total_bytes,first_month,last_month" "CSV header"
expect_eq "$(wc -l < "$WORK/out")" "31" "CSV lines (header, 27 tables, 2 partitions, total)"
grep -q '^access_logs_p202611,access_logs,partition,' "$WORK/out" || fail "CSV partition row"

# Month ranges follow the configured time zone: bounds at local midnight.
printf 'timezone: Europe/Paris\ndatabase:\n  schema: paris\n' > "$WORK/paris.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/paris.yaml" migrate
sql "CREATE TABLE paris.events_p202603 PARTITION OF paris.events
       FOR VALUES FROM ('2026-03-01 00:00:00+01') TO ('2026-04-01 00:00:00+02')" >/dev/null
expect_status 0 "$ANALYTICS" --config "$WORK/paris.yaml" size-report
grep -Eq '^  events_p202603 +partition .* 2026-03$' "$WORK/out" || fail "local month: $(cat "$WORK/out")"
echo "ok"
