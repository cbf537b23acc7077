#!/usr/bin/env bash
# process: drains opentelemetry_buffer as Vector's postgres sink fills it;
# two runs at once process each row once; a poison row is moved to
# ingest_rejects and never blocks the others (SPEC §2 `process`).
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
rows=${PROCESS_TEST_ROWS:-100000}

# Gateway records, one JSON object per line, as Vector's event shape.
awk -v n="$rows" 'BEGIN {
    split("psc:cours_eau psc:ortho topp:states sf:roads", layers, " ");
    for (i = 0; i < n; i++) {
        printf "{\"timestamp\":\"2026-11-%02dT%02d:%02d:%02d.%06dZ\",\"span_id\":\"%016x\",\"trace_id\":\"%032x\",\"message\":\"\",", 1 + int(i / 86400) % 20, int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 1000000, i, i;
        printf "\"source_type\":\"opentelemetry\",\"severity_text\":\"INFO\",\"severity_number\":9,\"scope\":{\"name\":\"org.georchestra.gateway.accesslog\"},\"resources\":{\"service.name\":\"gateway\"},";
        printf "\"attributes\":{\"enduser.id\":\"user%d\",\"enduser.org.id\":\"ORG%d\",\"http.request.method\":\"GET\",\"http.request.path\":\"/geoserver/psc/wms\",", i % 50, i % 7;
        printf "\"http.request.query-string\":\"SERVICE=WMS&REQUEST=GetMap&LAYERS=%s\",\"http.request.header.User-Agent\":\"QGIS/33404/Linux\",\"http.status_code\":\"200\",\"server.address\":\"geo.example.org\"}}\n", layers[1 + i % 4];
    }
}' > "$WORK/records.jsonl"

fill_buffer "$WORK/records.jsonl"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "$rows" "buffer filled"

# A poison row: attributes that are not an object.
sql "INSERT INTO opentelemetry_buffer (\"timestamp\", span_id, attributes)
     VALUES (now(), 'poison', '\"not an object\"')" >/dev/null

# Two runs at once.
"$ANALYTICS" --json process --batch-size 1000 >"$WORK/one.json" 2>"$WORK/one.err" &
one=$!
"$ANALYTICS" --json process --batch-size 1000 >"$WORK/two.json" 2>"$WORK/two.err" &
two=$!
wait "$one" || fail "first process run: $(cat "$WORK/one.err")"
wait "$two" || fail "second process run: $(cat "$WORK/two.err")"
python3 - "$WORK/one.json" "$WORK/two.json" "$rows" <<'PY'
import json, sys
one, two = (json.load(open(p)) for p in sys.argv[1:3])
rows = int(sys.argv[3])
assert one["stored"] + two["stored"] == rows, (one, two)
assert one["rows"] + two["rows"] == rows + 1, (one, two)
assert one["rejected"] + two["rejected"] == 1, (one, two)
assert one["duplicates"] + two["duplicates"] == 0, (one, two)
PY
expect_eq "$(sql "SELECT count(*) || ',' || count(DISTINCT id) FROM access_logs")" "$rows,$rows" "each row once"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "0" "buffer drained"
expect_eq "$(sql "SELECT count(*) FROM ingest_rejects WHERE source = 'opentelemetry_buffer' AND raw LIKE '%poison%'")" "1" "poison row kept with its error"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE request_details->>'service' = 'WMS' AND user_agent_family = 'QGIS'")" "$rows" "classified"

# Vector re-sends a batch: the same span ids are not stored twice.
head -n 500 "$WORK/records.jsonl" > "$WORK/again.jsonl"
fill_buffer "$WORK/again.jsonl"
expect_status 0 "$ANALYTICS" --json process
grep -q '"stored":0,"duplicates":500' "$WORK/out" || fail "re-sent rows: $(cat "$WORK/out")"

# --dry-run changes nothing.
fill_buffer "$WORK/again.jsonl"
expect_status 0 "$ANALYTICS" --json process --dry-run
grep -q '"rows":500,"records":500' "$WORK/out" || fail "dry run: $(cat "$WORK/out")"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "500" "dry run leaves the buffer"
echo "ok"
