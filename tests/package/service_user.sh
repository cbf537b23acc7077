#!/usr/bin/env bash
# The package installed for real on this machine, as an administrator would (dpkg -i as root):
# postinst makes the system user 'analytics' (groups analytics and adm) and its home
# /var/lib/analytics; the units are installed, disabled, and systemd accepts them. Then root's
# demo and the service share the machine: the demo's commands as root (embedded database in
# /var/lib/analytics-root), then every job of the installed cron example and every ExecStart of
# the installed units as 'analytics' (its database under /var/lib/analytics), with node_exporter's
# textfile directory and without it. Remove keeps the service's database, purge removes
# what postinst made and leaves root's. Needs root and a machine without the package, the user
# and /var/lib/analytics (a fresh CI machine); elsewhere it says why it skips.
# usage: tests/package/service_user.sh DEB
set -euo pipefail
deb=$(realpath "${1:?usage: service_user.sh DEB}")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tests/db/examples_lib.sh"
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
skip() { echo "SKIP installing the package on this machine: $*"; exit 0; }

[ "$(id -u)" -eq 0 ] || skip "not root"
dpkg-query -W -f='${Status}' analytics 2>/dev/null | grep -q 'ok installed' && skip "the analytics package is installed already"
getent passwd analytics >/dev/null && skip "a user 'analytics' exists already"
[ ! -e /var/lib/analytics ] || skip "/var/lib/analytics exists already"

TMP=$(mktemp -d /tmp/analytics-service.XXXXXX)
chmod 755 "$TMP"
made_root_home=no
[ -e /var/lib/analytics-root ] || made_root_home=yes
made_prometheus=no
cleanup() {
    dpkg --purge analytics >/dev/null 2>&1 || true
    if [ "$made_root_home" = yes ]; then
        # Root's demo server, which the package's binary (gone with it) started as postgres.
        local pg_ctl
        for pg_ctl in /usr/lib/postgresql/*/bin/pg_ctl; do
            [ -f /var/lib/analytics-root/pg/data/postmaster.pid ] || break
            runuser -u postgres -- "$pg_ctl" stop -s -m fast -D /var/lib/analytics-root/pg/data >/dev/null 2>&1 || true
        done
        rm -rf /var/lib/analytics-root
    fi
    [ "$made_prometheus" = no ] || rm -rf /var/lib/prometheus
    rm -rf "$TMP"
}
trap cleanup EXIT

dpkg -i "$deb" >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -i $deb"; exit 1; }

# The user, its groups and its home.
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd analytics) || { fail "postinst made no user 'analytics'"; exit 1; }
[ "$uid" -lt 1000 ] || fail "user analytics is not a system user (uid $uid)"
[ "$home" = /var/lib/analytics ] || fail "the home of analytics is $home"
[[ $shell == */nologin || $shell == /bin/false ]] || fail "user analytics has a login shell: $shell"
groups=" $(id -nG analytics) "
[[ $groups == *" analytics "* && $groups == *" adm "* ]] || fail "user analytics is in groups [$groups], expected analytics and adm"
[ "$(stat -c '%U:%G %a' /var/lib/analytics)" = "analytics:analytics 750" ] \
    || fail "/var/lib/analytics is $(stat -c '%U:%G %a' /var/lib/analytics), expected analytics:analytics 750"

# The units: where systemd finds them, accepted by it, none enabled.
units=(analytics-maintain.service analytics-maintain.timer analytics-process.service analytics-process.timer analytics-follow.service)
for unit in "${units[@]}"; do
    [ -f "/lib/systemd/system/$unit" ] || fail "no /lib/systemd/system/$unit"
    [ -z "$(find /etc/systemd/system -name "$unit" 2>/dev/null)" ] || fail "$unit is enabled after installation"
done
remarks=$(cd /lib/systemd/system && systemd-analyze verify "${units[@]}" 2>&1) || fail "systemd-analyze verify: $remarks"
[ -z "$remarks" ] || fail "systemd-analyze verify remarks: $remarks"

# as_service COMMAND...: as cron and systemd run the service's commands: the user's ids and
# groups, its home, a minimal environment.
as_service() {
    setpriv --reuid=analytics --regid=analytics --init-groups \
        env -i HOME=/var/lib/analytics LOGNAME=analytics USER=analytics SHELL=/bin/sh PATH=/usr/bin:/bin "$@"
}
as_root() { env -i HOME=/root LOGNAME=root USER=root SHELL=/bin/sh PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

# run WHO WHAT COMMAND: runs COMMAND through sh as WHO (as_root or as_service), the web server's
# logs taken from $TMP/var/log; with -q it must print nothing.
run() {
    local who=$1 what=$2 command=${3//\/var\/log\//$TMP/var/log/} status=0
    echo "$what: $command"
    $who sh -c "$command" >"$TMP/out" 2>"$TMP/err" || status=$?
    [ "$status" -eq 0 ] || { cat "$TMP/out" "$TMP/err"; fail "$what exited $status: $command"; return 0; }
    if [[ " $command " == *" -q "* ]] && [ -s "$TMP/out" -o -s "$TMP/err" ]; then
        cat "$TMP/out" "$TMP/err"; fail "$what printed something with -q, which cron would mail"
    fi
}

# Root's demo first (run.sh demo's commands, with the installed binary).
for command in "analytics db start" "analytics migrate" \
    "analytics ingest $SRC/examples/logs/access.log.gz" \
    "analytics ingest --format otel $SRC/examples/logs/gateway-otel.jsonl.gz" \
    "analytics ingest --format events $SRC/examples/logs/beacons.jsonl.gz" \
    "analytics maintain" "analytics report --top 5"; do
    run as_root "root's demo" "$command"
done
root_home=$(as_root analytics db path)
[ "$root_home" = /var/lib/analytics-root ] || fail "root's embedded database is in $root_home, expected /var/lib/analytics-root"

# Then the service: nginx's logs readable through group adm only.
mkdir -p "$TMP/var/log/nginx"
install -m 0640 -g adm "$SRC/examples/logs/access.log.gz" "$TMP/var/log/nginx/access.log.2.gz"
cron=/usr/share/doc/analytics/examples/cron/analytics
jobs=0
for with in without with; do
    if [ "$with" = with ]; then
        # node_exporter's textfile directory (root's, 0755), opened to the service as README says.
        [ -e /var/lib/prometheus ] || made_prometheus=yes
        mkdir -p /var/lib/prometheus/node-exporter
        setfacl -m u:analytics:rwx /var/lib/prometheus/node-exporter 2>/dev/null \
            || { chgrp analytics /var/lib/prometheus/node-exporter && chmod g+w /var/lib/prometheus/node-exporter; }
    elif [ -e /var/lib/prometheus/node-exporter ]; then
        echo "(this machine has node_exporter's textfile directory: the run without it is skipped)"
        continue
    fi
    while read -r user command; do
        jobs=$((jobs + 1))
        [ "$user" = analytics ] || fail "cron job runs as $user"
        run as_service "cron job ($with node_exporter)" "$command"
    done < <(cron_jobs "$cron")
    for unit in analytics-maintain.service analytics-process.service analytics-follow.service; do
        exec_start=$(unit_exec_start "/lib/systemd/system/$unit" /etc/default/analytics)
        if [[ $exec_start == *" --follow "* ]]; then
            if ! analytics ingest --help | grep -q -- '--follow'; then
                echo "SKIP $unit: this build's ingest has no --follow"
                continue
            fi
            # Runs until stopped: SIGTERM after 15 seconds ends it with status 0.
            exec_start="timeout --preserve-status -s TERM 15 $exec_start"
        fi
        run as_service "$unit ExecStart ($with node_exporter)" "set -f; $exec_start"
    done
    if [ "$with" = with ]; then
        [ -s /var/lib/prometheus/node-exporter/analytics-maintain.prom ] || fail "no metrics written with node_exporter's directory"
    fi
done
[ "$jobs" -gt 0 ] || fail "no cron job in $cron"
[ -s /var/lib/analytics/report.html ] || fail "the weekly report job wrote no /var/lib/analytics/report.html"
rows=$(as_service analytics db psql -X -At -c 'SELECT count(*) FROM access_logs' 2>&1) || fail "the service's database: $rows"
[[ $rows =~ ^[0-9]+$ && $rows -gt 0 ]] || fail "the service's database has [$rows] rows after its ingest job"
service_home=$(as_service analytics db path)
[[ $service_home == /var/lib/analytics/* ]] || fail "the service's embedded database is in $service_home"
# Root's demo database is still there and still its own.
run as_root "root after the service" "analytics report --top 1"

# Remove keeps the service's database and user; purge removes what postinst made, not root's.
dpkg -r analytics >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -r"; }
[ -d "$service_home/pg/data" ] || fail "dpkg -r removed the service's database"
getent passwd analytics >/dev/null || fail "dpkg -r removed the user analytics"
dpkg --purge analytics >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg --purge"; }
[ ! -e /var/lib/analytics ] || fail "purge left /var/lib/analytics"
! getent passwd analytics >/dev/null || fail "purge left the user analytics"
! getent group analytics >/dev/null || fail "purge left the group analytics"
for unit in "${units[@]}"; do
    [ ! -e "/lib/systemd/system/$unit" ] || fail "purge left /lib/systemd/system/$unit"
done
[ -d /var/lib/analytics-root/pg/data ] || fail "purge removed root's embedded database"

[ "$status" -eq 0 ] && echo "installed, run as root and as the service, removed and purged: ok"
exit "$status"
