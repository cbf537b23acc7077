#!/usr/bin/env bash
# ingest's parallel loaders (performance.load_connections, issue 19): with 2
# or 3 connections writing batches at once, the tables, the registry
# positions, the dirty days and the summary are those of one connection:
# batches commit in input order. Duplicate rows in batches written at the
# same moment make a later batch hold a lock an earlier one waits for: the
# later one gives way and the run completes, each row stored once.
. "$(dirname "$0")/lib.sh"
export ANALYTICS_NOW=2026-03-06T00:00:00Z
expect_status 0 "$ANALYTICS" migrate
connections() { printf 'database:\n  schema: %s\nperformance:\n  load_connections: %s\n' "$1" "$2" > "$WORK/$1.yaml"; }
connections ref 1
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" migrate

# Three days of traffic; every other line comes late, after the days were
# rolled up, so that the late batches mark dirty days.
"$ANALYTICS" generate --format combined --seed 7 --rate 300 --from 2026-03-02T00:00:00Z \
    --to 2026-03-05T00:00:00Z --output "$WORK/all.log" 2>/dev/null
awk 'NR % 2 == 1' "$WORK/all.log" > "$WORK/first.log"
awk 'NR % 2 == 0' "$WORK/all.log" > "$WORK/late.log"

# OTel records whose blocks of 40 come twice in a row: with --batch-size 40,
# batch 2k+1 repeats batch 2k (same span ids, same primary keys).
"$ANALYTICS" generate --format otel --seed 7 --rate 1000 --from 2026-03-02T08:00:00Z \
    --to 2026-03-02T12:00:00Z --output "$WORK/otel.jsonl" 2>/dev/null
head -n 400 "$WORK/otel.jsonl" |
    awk '{ block[NR % 40] = $0 } NR % 40 == 0 { for (i = 1; i <= 40; i++) print block[i % 40];
                                               for (i = 1; i <= 40; i++) print block[i % 40] }' \
    > "$WORK/twice.jsonl"
[ "$(wc -l < "$WORK/twice.jsonl")" -eq 800 ] || fail "twice.jsonl: $(wc -l < "$WORK/twice.jsonl") lines"

# summary FIELD...: those counts of the --json summary in $WORK/out.
summary() {
    for field in "$@"; do grep -o "\"$field\":[0-9]*" "$WORK/out" | head -n 1; done | paste -sd ' '
}

# load SCHEMA: the same runs into SCHEMA; prints what the summaries say.
load() {
    local config="$WORK/$1.yaml"
    expect_status 0 "$ANALYTICS" --config "$config" --json ingest --batch-size 500 "$WORK/first.log"
    summary stored duplicates dirty_days
    expect_status 0 "$ANALYTICS" --config "$config" rollup
    expect_status 0 "$ANALYTICS" --config "$config" --json ingest --batch-size 500 "$WORK/late.log"
    summary stored duplicates dirty_days batches
    expect_status 0 "$ANALYTICS" --config "$config" --json ingest --batch-size 40 -f otel "$WORK/twice.jsonl"
    summary stored duplicates batches
}

state() {
    local schema=$1
    table_digest access_logs "$schema"
    sql "SELECT string_agg(job_name || ' ' || day, ',' ORDER BY job_name, day) FROM $schema.rollup_dirty_days"
    sql "SELECT string_agg(display_name || ' ' || format || ' ' || lines_consumed || ' ' || bytes_consumed || ' ' ||
                           records_stored, ',' ORDER BY display_name) FROM $schema.ingest_registry"
    sql "SELECT count(*) FROM $schema.ingest_rejects"
}

reference_summaries=$(load ref)
reference_state=$(state ref)
grep -q '"dirty_days":0 ' <<<"$(sed -n 2p <<<"$reference_summaries")" &&
    fail "the late lines marked no dirty day: $reference_summaries"
grep -q '"stored":400 "duplicates":400 ' <<<"$reference_summaries" ||
    fail "one connection, repeated batches: $reference_summaries"

for n in 2 3; do
    connections "parallel$n" "$n"
    expect_status 0 "$ANALYTICS" --config "$WORK/parallel$n.yaml" migrate
    summaries=$(load "parallel$n")
    expect_eq "$summaries" "$reference_summaries" "summaries with $n connections"
    expect_eq "$(state "parallel$n")" "$reference_state" "tables with $n connections"
done

# The default is two loading connections, each its own backend.
expect_status 0 "$ANALYTICS" config show
grep -Eq 'load_connections"?: 2' "$WORK/out" || fail "config show: $(grep load_connections "$WORK/out")"
