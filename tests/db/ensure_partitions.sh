#!/usr/bin/env bash
# ensure-partitions: the BTAA date cases, idempotence, concurrent runs, local
# month bounds, --now / ANALYTICS_NOW and the environment overrides.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
partitions() { # SCHEMA: every partition name, sorted
    sql "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         WHERE c.relkind = 'r' AND p.relnamespace = '${1:-analytics}'::regnamespace"
}

# BTAA §1.5 on 2026-11-22: retention 30 days (access logs, impressions) gives
# 2026-10..2027-01; 90 days (searches, events) gives 2026-09..2027-01.
expected="access_logs_p202610 access_logs_p202611 access_logs_p202612 access_logs_p202701"
expected+=" events_p202609 events_p202610 events_p202611 events_p202612 events_p202701"
expected+=" search_impressions_p202610 search_impressions_p202611 search_impressions_p202612 search_impressions_p202701"
expected+=" searches_p202609 searches_p202610 searches_p202611 searches_p202612 searches_p202701"

expect_status 0 "$ANALYTICS" --now 2026-11-22 ensure-partitions --dry-run
expect_eq "$(grep -c '^would create' "$WORK/out")" "18" "dry run lists"
expect_eq "$(partitions)" "" "dry run created nothing"

# Three runs at once: each month once, nobody fails.
for i in 1 2 3; do
    "$ANALYTICS" --now 2026-11-22 --json ensure-partitions >"$WORK/c$i.json" 2>"$WORK/c$i.err" &
done
wait || true
for i in 1 2 3; do
    [ -s "$WORK/c$i.err" ] && fail "concurrent run $i: $(cat "$WORK/c$i.err")"
done
expect_eq "$(partitions)" "$expected" "partitions on 2026-11-22"
expect_eq "$(python3 -c 'import json,sys; print(sum(json.load(open(f))["created"] for f in sys.argv[1:]))' "$WORK"/c?.json)" "18" "created once in all"

expect_status 0 "$ANALYTICS" --now 2026-11-22 --json ensure-partitions
grep -q '"created":0,' "$WORK/out" || fail "second run created: $(cat "$WORK/out")"

# ANALYTICS_NOW and the environment overrides; a month later, one more month.
expect_status 0 env ANALYTICS_NOW=2026-12-05 ANALYTICS_PARTITION_FUTURE_MONTHS=3 \
    ANALYTICS_RETENTION_EVENT_DAYS=400 ANALYTICS_PARTITION_HISTORY_MONTHS=1 "$ANALYTICS" ensure-partitions
expect_eq "$(grep '^created' "$WORK/out" | sort | tr '\n' ' ')" \
    "created access_logs_p202702 created access_logs_p202703 created events_p202702 created events_p202703 created search_impressions_p202702 created search_impressions_p202703 created searches_p202702 created searches_p202703 " \
    "months added by the overrides (history 1 and retention 400 add nothing older: 2026-11 exists)"

# Months begin at local midnight of the 1st.
printf 'timezone: Europe/Paris\ndatabase:\n  schema: paris\n' > "$WORK/paris.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/paris.yaml" migrate
expect_status 0 "$ANALYTICS" --config "$WORK/paris.yaml" --now 2026-03-15 ensure-partitions
expect_eq "$(sql "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'paris.access_logs_p202603'::regclass")" \
    "FOR VALUES FROM ('2026-02-28 23:00:00+00') TO ('2026-03-31 22:00:00+00')" \
    "local month bounds (midnight in Paris, CET then CEST, shown in UTC)"
# A date alone is local midnight: 2026-03-01 in Paris is still February in UTC.
expect_status 0 "$ANALYTICS" --config "$WORK/paris.yaml" --now 2026-03-01 --json ensure-partitions --dry-run
grep -q '"name":"access_logs_p202601"' "$WORK/out" || fail "Paris history: $(cat "$WORK/out")"

expect_status 64 "$ANALYTICS" --now yesterday ensure-partitions
grep -q "not a timestamp" "$WORK/err" || fail "bad --now message: $(cat "$WORK/err")"
echo "ok"
