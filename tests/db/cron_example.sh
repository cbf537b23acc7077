#!/usr/bin/env bash
# The shipped examples work: every job of examples/cron/analytics and the ExecStart of
# examples/systemd/analytics-maintain.service runs as written (paths under /var moved to a temporary
# directory, nginx's logs replaced by the sample log) and exits 0 on a private cluster,
# printing nothing where it says -q (cron would mail it).
. "$(dirname "$0")/lib.sh"
EXAMPLES=$(cd "$(dirname "$0")/../../examples" && pwd)
expect_status 0 "$ANALYTICS" migrate
mkdir -p "$WORK/var/log/nginx" "$WORK/var/lib/analytics" "$WORK/var/lib/prometheus/node-exporter"
cp "$EXAMPLES/logs/access.log.gz" "$WORK/var/log/nginx/access.log.2.gz"

# run WHAT COMMAND: runs COMMAND (its first word the binary) through sh, as cron and systemd do.
run() {
    local what=$1 command=${2#* } output=
    command=${command//\/var\//$WORK/var/}
    [[ $command =~ --(metrics-file|html)[[:space:]]+([^[:space:]]+) ]] && output=${BASH_REMATCH[2]} && rm -f "$output"
    echo "$what: analytics $command"
    set +e; sh -c "\"\$ANALYTICS\" $command" >"$WORK/out" 2>"$WORK/err"; local status=$?; set -e
    [ "$status" -eq 0 ] || { cat "$WORK/out" "$WORK/err"; fail "$what: exited $status"; }
    # cron mails whatever a job prints: with -q a successful job prints nothing.
    if [[ " $command " == *" -q "* ]] && [ -s "$WORK/out" -o -s "$WORK/err" ]; then
        cat "$WORK/out" "$WORK/err"
        fail "$what: printed something with -q, which cron would mail"
    fi
    [ -z "$output" ] || [ -s "$output" ] || fail "$what: $output was not written"
}

jobs=0
while read -r minute hour dom month dow user command; do
    [[ -z $minute || $minute == \#* || $minute == *=* ]] && continue
    jobs=$((jobs + 1))
    expect_eq "$user" analytics "user of cron job '$command'"
    [[ $command == "analytics "* ]] || fail "cron job '$command' does not start with analytics"
    [[ $command != *%* ]] || fail "cron job '$command' has a %, which cron turns into a newline"
    run "cron job '$minute $hour $dom $month $dow'" "$command"
    if [[ $command == "analytics ingest "* ]]; then
        [ "$(sql "SELECT count(*) FROM access_logs")" -gt 0 ] || fail "no rows in access_logs after '$command'"
    fi
done <"$EXAMPLES/cron/analytics"
[ "$jobs" -ge 4 ] || fail "only $jobs cron jobs in examples/cron/analytics"

exec_start=$(sed -n 's/^ExecStart=//p' "$EXAMPLES/systemd/analytics-maintain.service")
[[ $exec_start == "/usr/bin/analytics "* ]] || fail "ExecStart does not run /usr/bin/analytics: $exec_start"
run "systemd ExecStart" "$exec_start"
echo "cron and systemd examples work"
