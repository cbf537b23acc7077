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
# One write, so that the follower reads all of it in one turn and commits it
# once: that commit fails in the background, and nothing else comes to show
# it (what cat's two writes of 128 KiB only sometimes did).
dd if="$WORK/p2" of="$WORK/access.log" bs=4M oflag=append conv=notrunc status=none
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

# The same on a pipe that goes quiet: without --follow nothing reconnects, so
# the lost database is exit 69 while the pipe is still open, not whenever its
# writer next writes.
sql "TRUNCATE access_logs" >/dev/null # the same generated lines again
head -n 500 "$WORK/all.log" > "$WORK/q1"
tail -n 1000 "$WORK/all.log" > "$WORK/q2"
mkfifo "$WORK/pipe"
"$ANALYTICS" ingest --format combined --commit-interval 1 --source-name pipe - \
    <"$WORK/pipe" >"$WORK/pipe.out" 2>"$WORK/pipe.err" &
pid=$!
exec 7>"$WORK/pipe"
cat "$WORK/q1" >&7
for i in $(seq 1 80); do [ "$(rows)" = 500 ] && break; sleep 0.25; done
expect_eq "$(rows)" 500 "rows from the pipe before the database stops"
"$ANALYTICS" db stop >/dev/null
dd if="$WORK/q2" bs=4M status=none >&7
for i in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    fail "ingest still running 20 s after its commit failed: $(cat "$WORK/pipe.err")"
fi
set +e; wait "$pid"; status=$?; set -e
exec 7>&-
expect_eq "$status" 69 "exit status of the pipe's ingest ($(cat "$WORK/pipe.err"))"
echo "ok"
