#!/usr/bin/env bash
# A pipe's rows are committed every --commit-interval, before its end
# (issue 16: they used to wait for the end of input), with the format
# detected from the few lines there are.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
make_combined "$WORK/access.log" 500
rows() { sql "SELECT count(*) FROM access_logs"; }

# expect_rows_before_end N FILE ARGS...: FILE's lines, then 6 s of silence.
expect_rows_before_end() {
    local count=$1 file=$2; shift 2
    (cat "$file"; sleep 6) | "$ANALYTICS" ingest "$@" - >"$WORK/pipe.out" 2>"$WORK/pipe.err" &
    local pid=$!
    sleep 4
    expect_eq "$(rows)" "$count" "rows 4 s into a 6 s pipe ($*)"
    set +e; wait "$pid"; local status=$?; set -e
    expect_eq "$status" 0 "exit status ($(cat "$WORK/pipe.err"))"
}

expect_rows_before_end 500 "$WORK/access.log" --commit-interval 1
# Fewer lines than format detection reads, the default interval.
sql "TRUNCATE access_logs" >/dev/null
head -n 3 "$WORK/access.log" > "$WORK/three.log"
expect_rows_before_end 3 "$WORK/three.log"
# Compressed.
sql "TRUNCATE access_logs" >/dev/null
gzip -c "$WORK/access.log" > "$WORK/access.log.gz"
expect_rows_before_end 500 "$WORK/access.log.gz" --commit-interval 1 --format combined
echo "ok"
