#!/usr/bin/env bash
# ingest --follow outlives its database (issue 16): stopped while lines
# arrive, it is reached again after a pause, and every line is stored once.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
make_combined "$WORK/all.log" 2000
head -n 1000 "$WORK/all.log" > "$WORK/p1"
tail -n 1000 "$WORK/all.log" > "$WORK/p2"
rows() { sql "SELECT count(*) FROM access_logs"; }

"$ANALYTICS" ingest --format combined --follow --commit-interval 1 "$WORK/access.log" \
    >"$WORK/follow.out" 2>"$WORK/follow.err" &
pid=$!
cat "$WORK/p1" > "$WORK/access.log"
for i in $(seq 1 80); do [ "$(rows)" = 1000 ] && break; sleep 0.25; done
expect_eq "$(rows)" 1000 "rows before the database stops"

"$ANALYTICS" db stop >/dev/null
cat "$WORK/p2" >> "$WORK/access.log"
# The follower's commit fails; it waits, then connects again (which starts
# the embedded database).
for i in $(seq 1 80); do grep -q "trying again" "$WORK/follow.err" && break; sleep 0.25; done
grep -q "trying again" "$WORK/follow.err" || fail "no retry: $(cat "$WORK/follow.err")"
kill -0 "$pid" 2>/dev/null || fail "the follower exited: $(cat "$WORK/follow.err")"
for i in $(seq 1 120); do
    [ "$(rows 2>/dev/null)" = 2000 ] && break
    sleep 0.25
done
expect_eq "$(rows)" 2000 "rows after the database came back ($(cat "$WORK/follow.err"))"
kill -TERM "$pid"
set +e; wait "$pid"; status=$?; set -e
expect_eq "$status" 0 "exit status after SIGTERM ($(cat "$WORK/follow.err"))"
expect_eq "$(sql "SELECT count(DISTINCT id) FROM access_logs")" 2000 "distinct rows"
echo "ok"
