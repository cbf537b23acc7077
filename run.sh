#!/usr/bin/env bash
# The quick start. On a fresh Debian bookworm machine (as root, or with sudo):
#   ./run.sh demo   install what is missing, build, run analytics on the embedded database
#   ./run.sh test   install what is missing, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
# What the demo needs: the compiler, the libraries, the data read at run time
# and the PostgreSQL server of the embedded database.
DEMO_PACKAGES=(
    g++ cmake ninja-build pkg-config git ca-certificates
    libcli11-dev nlohmann-json3-dev libpqxx-dev libpq-dev libhowardhinnant-date-dev libre2-dev
    libsimdjson-dev libyaml-cpp-dev zlib1g-dev libcurl4-openssl-dev libmaxminddb-dev
    uap-core tzdata postgresql-15 postgresql-client-15
)
# What only the tests need: the unit test framework, the package checks
# (dpkg-dev, file, man-db, lintian, systemd-analyze, adduser), the browser of
# the HTML report test, the MaxMind database writer of the GeoIP test, the
# shells of the completion tests, the fuzzers' clang, and valgrind for
# bench/ingest_instructions.sh (tests/db/bench_scripts.sh runs it).
TEST_PACKAGES=(
    doctest-dev python3 procps libmaxmind-db-writer-perl
    dpkg-dev file man-db lintian systemd adduser
    chromium zsh fish
    clang libclang-rt-14-dev valgrind
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "run.sh: need root (or sudo) to run: $*" >&2; exit 1
    fi
}

# install_packages PACKAGE...: installs those not installed yet.
install_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "run.sh: installing ${missing[*]}"
    # The embedded database is analytics' own cluster: the distribution's
    # default 'main' cluster is not needed, so do not create one.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        as_root mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    cmake --build "$BUILD_DIR" -j"$(nproc)"
}

case "${1:-}" in
    demo)
        install_packages "${DEMO_PACKAGES[@]}"
        build -DBUILD_TESTING=OFF
        analytics=$BUILD_DIR/apps/analytics
        "$analytics" db start
        "$analytics" migrate
        # The bundled sample logs; a second demo run finds them loaded already.
        "$analytics" ingest examples/logs/access.log.gz
        "$analytics" ingest --format otel examples/logs/gateway-otel.jsonl.gz
        "$analytics" ingest --format events examples/logs/beacons.jsonl.gz
        "$analytics" maintain
        "$analytics" size-report
        echo
        "$analytics" report --top 5
        echo
        echo "The embedded database lives in $("$analytics" db path)."
        echo "Explore it with: $analytics db psql    Stop it with: $analytics db stop"
        # Last: the report as a page with charts, and where it is.
        "$analytics" report --html "$BUILD_DIR/usage-report.html"
        ;;
    test)
        install_packages "${DEMO_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        build -DBUILD_TESTING=ON -DANALYTICS_WERROR=ON
        ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
        # The .deb: built with CPack, unpacked, its binary, man pages, completion and configuration checked.
        tests/package/check_deb.sh "$BUILD_DIR"
        # A short libFuzzer run of every parser family (longer: tests/fuzz/run.sh 600).
        tests/fuzz/run.sh "${ANALYTICS_FUZZ_SECONDS:-15}"
        ;;
    *)
        echo "usage: ./run.sh demo|test" >&2
        exit 64
        ;;
esac
