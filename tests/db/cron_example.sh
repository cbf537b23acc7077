#!/usr/bin/env bash
# The shipped examples work: every job of examples/cron/analytics and the ExecStart of every
# unit of examples/systemd (the package's units) runs as written (paths under /var moved to a
# temporary directory, nginx's logs replaced by the sample log) and exits 0 on a private
# cluster, printing nothing where it says -q (cron would mail it), with node_exporter's
# textfile directory and without it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/examples_lib.sh"
EXAMPLES=$(cd "$(dirname "$0")/../../examples" && pwd)
expect_status 0 "$ANALYTICS" migrate
mkdir -p "$WORK/var/log/nginx" "$WORK/var/lib/analytics" "$WORK/var/lib/prometheus/node-exporter"
cp "$EXAMPLES/logs/access.log.gz" "$WORK/var/log/nginx/access.log.2.gz"

# run WHAT COMMAND [SHELL_PREFIX]: runs COMMAND (its first word the binary) through sh, as cron
# and systemd do ('set -f' for systemd, which expands no glob).
run() {
    local what=$1 command=${2#* } prefix=${3:-} output=
    command=${command//\/var\//$WORK/var/}
    [[ $command =~ --(metrics-file|html)[[:space:]]+([^[:space:]]+) ]] && output=${BASH_REMATCH[2]} && rm -f "$output"
    echo "$what: analytics $command"
    set +e; sh -c "$prefix \"\$ANALYTICS\" $command" >"$WORK/out" 2>"$WORK/err"; local status=$?; set -e
    [ "$status" -eq 0 ] || { cat "$WORK/out" "$WORK/err"; fail "$what: exited $status"; }
    # cron mails whatever a job prints: with -q a successful job prints nothing.
    if [[ " $command " == *" -q "* ]] && [ -s "$WORK/out" -o -s "$WORK/err" ]; then
        cat "$WORK/out" "$WORK/err"
        fail "$what: printed something with -q, which cron would mail"
    fi
    if [ -n "$output" ] && [ -d "$(dirname "$output")" ]; then
        [ -s "$output" ] || fail "$what: $output was not written"
    fi
}

jobs=0
while read -r user command; do
    jobs=$((jobs + 1))
    expect_eq "$user" analytics "user of cron job '$command'"
    [[ $command == "analytics "* ]] || fail "cron job '$command' does not start with analytics"
    [[ $command != *%* ]] || fail "cron job '$command' has a %, which cron turns into a newline"
    run "cron job" "$command"
    if [[ $command == "analytics ingest "* ]]; then
        [ "$(sql "SELECT count(*) FROM access_logs")" -gt 0 ] || fail "no rows in access_logs after '$command'"
    fi
done < <(cron_jobs "$EXAMPLES/cron/analytics")
[ "$jobs" -ge 4 ] || fail "only $jobs cron jobs in examples/cron/analytics"

# Without node_exporter (no textfile directory) the nightly job still succeeds, silently with
# -q, and writes no metrics; the directory is not created.
rm -rf "$WORK/var/lib/prometheus"
maintain_job=$(cron_jobs "$EXAMPLES/cron/analytics" | grep ' analytics maintain ') || fail "no maintain cron job"
run "cron job without node_exporter" "${maintain_job#* }"
[ ! -e "$WORK/var/lib/prometheus" ] || fail "the maintain job created the metrics directory"
# Without -q it says why there are no metrics.
"$ANALYTICS" maintain --metrics-file "$WORK/var/lib/prometheus/node-exporter/m.prom" >/dev/null 2>"$WORK/err" \
    || { cat "$WORK/err"; fail "maintain without the metrics directory exited $?"; }
grep -q "metrics not written" "$WORK/err" || fail "no warning for the missing metrics directory: $(cat "$WORK/err")"
mkdir -p "$WORK/var/lib/prometheus/node-exporter"

units=0
for unit in "$EXAMPLES"/systemd/*.service; do
    units=$((units + 1))
    exec_start=$(unit_exec_start "$unit" "$EXAMPLES/default/analytics")
    [[ $exec_start == "/usr/bin/analytics "* ]] || fail "$(basename "$unit"): ExecStart does not run /usr/bin/analytics: $exec_start"
    if [[ $exec_start != *" --follow "* ]]; then
        run "$(basename "$unit") ExecStart" "$exec_start" "set -f;"
        continue
    fi
    # The follow service runs until stopped: a line appended to the log is in the
    # database within seconds, and SIGTERM ends it with status 0.
    if ! "$ANALYTICS" ingest --help | grep -q -- '--follow'; then
        echo "SKIP $(basename "$unit"): this build's ingest has no --follow"
        continue
    fi
    command=${exec_start#* }
    command=${command//\/var\//$WORK/var/}
    before=$(sql "SELECT count(*) FROM access_logs")
    echo "$(basename "$unit") ExecStart: analytics $command"
    (set -f; exec "$ANALYTICS" $command) >"$WORK/follow.out" 2>"$WORK/follow.err" &
    follow=$!
    printf '192.0.2.7 - - [%s] "GET /geoserver/ows?SERVICE=WMS&REQUEST=GetCapabilities HTTP/1.1" 200 512 "-" "QGIS/33400"\n' \
        "$(date -u '+%d/%b/%Y:%H:%M:%S +0000')" >>"$WORK/var/log/nginx/access.log"
    for _ in $(seq 60); do
        [ "$(sql "SELECT count(*) FROM access_logs")" -gt "$before" ] && break
        sleep 1
    done
    kill -TERM "$follow"
    set +e; wait "$follow"; status=$?; set -e
    [ "$status" -eq 0 ] || { cat "$WORK/follow.out" "$WORK/follow.err"; fail "$(basename "$unit"): exited $status on SIGTERM"; }
    expect_eq "$(sql "SELECT count(*) FROM access_logs")" "$((before + 1))" "rows after the follow service read one new line"
done
[ "$units" -ge 3 ] || fail "only $units services in examples/systemd"
echo "cron and systemd examples work"
