# Shared set-up for the tests on a real Citus or TimescaleDB: the extension
# built from ../shared/vendor when it is missing, and PostgreSQL clusters of
# our own on 127.0.0.1 (besides the embedded one of lib.sh), each stopped and
# removed at exit. Source it after lib.sh.
#
# Without ../shared/vendor (a user's fresh clone) the test is skipped (exit
# 77, CTest's SKIP_RETURN_CODE) with a message; under CI, .ci/run sets
# ANALYTICS_REQUIRE_EXTENSIONS=1 and the skip becomes a failure.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
VENDOR=${ANALYTICS_VENDOR_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/vendor}
CLUSTERS=()

skip() {
    if [ "${ANALYTICS_REQUIRE_EXTENSIONS:-}" = 1 ]; then
        fail "$* (ANALYTICS_REQUIRE_EXTENSIONS=1: this test may not be skipped)"
    fi
    echo "SKIP: $*" >&2
    exit 77
}

# need_extension citus|timescaledb: installs it from $VENDOR when missing.
need_extension() {
    local name=$1
    [ -f "/usr/share/postgresql/15/extension/$name.control" ] && return 0
    [ -x "$VENDOR/install-extension.sh" ] ||
        skip "$name is not installed and $VENDOR/install-extension.sh is missing"
    [ "$(id -u)" -eq 0 ] || skip "$name is not installed, and installing it needs root"
    "$VENDOR/install-extension.sh" "$name" >&2 || fail "install-extension.sh $name failed"
}

# free_port: a TCP port of 127.0.0.1 that nothing listens on.
free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    fail "no free port found"
}

as_server() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_cluster NAME PRELOAD: a fresh cluster in $WORK/NAME on a free port,
# shared_preload_libraries = PRELOAD; sets PORT_<NAME>.
start_cluster() {
    local name=$1 preload=$2 dir port
    dir=$(mktemp -d "/tmp/analytics-test-$name.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_server "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >/dev/null ||
        fail "initdb $name"
    port=$(free_port)
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_preload_libraries = '$preload'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
max_prepared_transactions = 200
EOF
    if [ "$preload" = citus ]; then
        # A zone none of the tests configures (+13:45 in November): SQL that a
        # worker runs with its own session zone instead of analytics' one
        # shows in the comparisons with the single server.
        echo "timezone = 'Pacific/Chatham'" >>"$dir/data/postgresql.conf"
    fi
    if [ "$preload" = timescaledb ]; then
        # No background jobs (policies would refresh or drop aggregates while
        # the test compares them), no telemetry.
        printf "timescaledb.max_background_workers = 0\ntimescaledb.telemetry_level = off\n" \
            >>"$dir/data/postgresql.conf"
    fi
    as_server "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start >/dev/null ||
        { cat "$dir/log" >&2; fail "starting cluster $name"; }
    CLUSTERS+=("$dir")
    printf -v "PORT_$name" '%s' "$port"
    printf -v "DIR_$name" '%s' "$dir"
}

# stop_cluster NAME [MODE]
stop_cluster() {
    local dir_var="DIR_$1"
    as_server "$PG_BIN/pg_ctl" -D "${!dir_var}/data" -m "${2:-fast}" -w stop >/dev/null
}

restart_cluster() {
    local dir_var="DIR_$1"
    as_server "$PG_BIN/pg_ctl" -D "${!dir_var}/data" -l "${!dir_var}/log" -w -t 60 start \
        >/dev/null
}

stop_clusters() {
    local dir
    for dir in "${CLUSTERS[@]}"; do
        as_server "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    done
}
trap 'stop_clusters; cleanup' EXIT

# psql_on NAME SQL: runs SQL on cluster NAME's database postgres.
psql_on() {
    local port_var="PORT_$1"
    "$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -At -h 127.0.0.1 -p "${!port_var}" -U postgres \
        -d postgres -c "$2"
}

# start_citus: a Citus coordinator (coord) and two workers (w1, w2).
start_citus() {
    start_cluster coord citus
    start_cluster w1 citus
    start_cluster w2 citus
    local node
    for node in coord w1 w2; do psql_on "$node" "CREATE EXTENSION citus" >/dev/null; done
    psql_on coord "SELECT citus_set_coordinator_host('127.0.0.1', $PORT_coord)" >/dev/null
    psql_on coord "SELECT citus_add_node('127.0.0.1', $PORT_w1)" >/dev/null
    psql_on coord "SELECT citus_add_node('127.0.0.1', $PORT_w2)" >/dev/null
}

# conninfo NAME: what analytics connects to cluster NAME with.
conninfo() {
    local port_var="PORT_$1"
    echo "host=127.0.0.1 port=${!port_var} dbname=postgres user=postgres"
}
