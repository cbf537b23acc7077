#!/usr/bin/env bash
# Identical lines from different sources are different rows (SPEC §9): the
# --extra fields are part of every content id and of the input's identity,
# and stay so on every re-read; inputs without them keep the ids of version
# 0.1, and its registry entries still count.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$WORK/out"; }
# ingest FILE [OPTION...]: the file first, as -e takes every value after it.
ingest() { expect_status 0 "$ANALYTICS" --json ingest --format combined "$@"; }
stored() { echo "$(json_field '["stored"]'),$(json_field '["duplicates"]')"; }

# Two servers behind a load balancer log the same health check in the same
# second: the same line, and their files begin alike.
health='10.0.0.1 - - [10/Dec/2025:04:39:15 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"'
mkdir -p "$WORK/node-a" "$WORK/node-b"
printf '%s\n' "$health" > "$WORK/node-a/access.log"
printf '%s\n' "$health" > "$WORK/node-b/access.log"

# 1. One row per server.
ingest "$WORK/node-a/access.log" -e server_address=node-a
expect_eq "$(stored)" "1,0" "node-a"
ingest "$WORK/node-b/access.log" -e server_address=node-b
expect_eq "$(stored),$(json_field '["inputs"][0]["status"]')" "1,0,new" "node-b, the same line"
expect_eq "$(sql "SELECT string_agg(server_address, ',' ORDER BY server_address) || ' ' || count(DISTINCT id) FROM access_logs")" \
    "node-a,node-b 2" "rows of the two servers"

# 2. Read again with the same fields: nothing new, whether forced, rotated,
#    compressed, or with the fields in another order.
ingest "$WORK/node-a/access.log" -e server_address=node-a
expect_eq "$(stored),$(json_field '["inputs"][0]["status"]')" "0,0,unchanged" "node-a again"
ingest "$WORK/node-a/access.log" --force -e server_address=node-a
expect_eq "$(stored)" "0,1" "node-a forced"
ingest "$WORK/node-b/access.log" --force -e server_address=node-b
expect_eq "$(stored)" "0,1" "node-b forced"
gzip -c "$WORK/node-b/access.log" > "$WORK/node-b/access.log.1.gz"
ingest "$WORK/node-b/access.log.1.gz" --force -e server_address=node-b
expect_eq "$(stored)" "0,1" "node-b compressed"
ingest "$WORK/node-b/access.log" --force -e app_path=/ -e server_address=node-c
expect_eq "$(stored)" "1,0" "a third source"
ingest "$WORK/node-b/access.log" --force -e server_address=node-c -e app_path=/
expect_eq "$(stored)" "0,1" "the same fields in another order"
expect_eq "$(sql "SELECT count(*) FROM access_logs")" "3" "rows after the re-reads"

# 3. Without --extra: the id of version 0.1 (tests/unit/test_record_id.cpp).
ingest "$WORK/node-a/access.log"
expect_eq "$(stored)" "1,0" "without --extra"
expect_eq "$(sql "SELECT id FROM access_logs WHERE server_address IS NULL")" "b02cd79882db63a8" "id of version 0.1"

# 4. A file that version 0.1 loaded with --extra was registered without the
#    fields: it still counts as loaded, and a resumed read stores only what is
#    new.
make_combined "$WORK/c.log" 1000
ingest "$WORK/c.log" -e server_address=node-c
expect_eq "$(stored)" "1000,0" "node-c"
sql "CREATE TEMP TABLE f AS SELECT * FROM ingest_registry_files WHERE input_id IN
       (SELECT input_id FROM ingest_registry WHERE display_name = '$WORK/c.log');
     DELETE FROM ingest_registry_files WHERE input_id IN (SELECT input_id FROM f);
     UPDATE ingest_registry SET input_id = split_part(input_id, '/extras:', 1)
      WHERE display_name = '$WORK/c.log';
     INSERT INTO ingest_registry_files (input_id, compressed, signature, recorded_at)
       SELECT split_part(input_id, '/extras:', 1), compressed, signature, recorded_at FROM f" >/dev/null
expect_eq "$(sql "SELECT count(*) FROM ingest_registry WHERE display_name = '$WORK/c.log' AND input_id LIKE 'h:%' AND input_id NOT LIKE '%/%'")" \
    "1" "registry entry as version 0.1 wrote it"
ingest "$WORK/c.log" -e server_address=node-c
expect_eq "$(stored),$(json_field '["inputs"][0]["status"]')" "0,0,unchanged" "version 0.1's entry"
make_combined "$WORK/more.log" 1200
tail -n 200 "$WORK/more.log" >> "$WORK/c.log"
touch -d '2 hours ago' "$WORK/c.log"
ingest "$WORK/c.log" -e server_address=node-c
expect_eq "$(stored),$(json_field '["inputs"][0]["status"]')" "200,0,resumed after line 1000" "resumed from version 0.1's entry"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE server_address = 'node-c' AND request_path <> '/health'")" "1200" "node-c rows"
echo "ok"
