#!/usr/bin/env bash
# The embedded default: created on first use, Unix socket only, db status/start/stop/path/psql.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$ANALYTICS" db status
grep -q "embedded:  not initialized" "$WORK/out" || fail "status before start: $(cat "$WORK/out")"
expect_eq "$("$ANALYTICS" db path)" "$ANALYTICS_HOME" "db path"

expect_status 0 "$ANALYTICS" db start
[ -s "$WORK/err" ] && fail "db start wrote to stderr: $(cat "$WORK/err")"
[ -S "$ANALYTICS_HOME/pg/run/.s.PGSQL.5432" ] || fail "no Unix socket in $ANALYTICS_HOME/pg/run"
expect_status 0 "$ANALYTICS" db status --json
grep -q '"state": "running"' "$WORK/out" || fail "status after start: $(cat "$WORK/out")"

# No TCP listener: listen_addresses is empty.
expect_eq "$(sql "SHOW listen_addresses")" "" "listen_addresses"
expect_eq "$(sql "SELECT current_database()")" "analytics" "database name"
if [ "$(id -u)" -eq 0 ]; then
    owner=$(stat -c %U "$ANALYTICS_HOME/pg/data")
    [ "$owner" != root ] || fail "as root, the server must not run as root (data owned by $owner)"
    expect_eq "$(ps -o user= -p "$(head -1 "$ANALYTICS_HOME/pg/data/postmaster.pid")" | tr -d ' ')" \
        "$owner" "server process user"
fi

# Starting twice is fine; two starts at once do not corrupt anything.
expect_status 0 "$ANALYTICS" db start
expect_status 0 "$ANALYTICS" db stop
grep -q "stopped" "$WORK/out" || fail "db stop: $(cat "$WORK/out")"
"$ANALYTICS" db start >/dev/null & "$ANALYTICS" db start >/dev/null & wait
expect_eq "$(sql "SELECT 1")" "1" "after concurrent starts"

# A command on the embedded default starts it and migrates it by itself.
expect_status 0 "$ANALYTICS" db stop
expect_status 0 "$ANALYTICS" size-report
[ -s "$WORK/err" ] && fail "size-report wrote to stderr: $(cat "$WORK/err")"
grep -q "^access_logs " "$WORK/out" || fail "size-report did not list access_logs"
expect_status 0 "$ANALYTICS" db stop
expect_status 0 "$ANALYTICS" db stop
grep -q "was not running" "$WORK/out" || fail "second stop: $(cat "$WORK/out")"
echo "ok"
