# Shared set-up of the benchmarks that need no database (sourced): the binary
# checked, the input generators, a work directory removed on exit, no
# configuration file read, and the instruction counter.
set -euo pipefail
: "${ANALYTICS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/apps/analytics}"
[ -x "$ANALYTICS" ] || { echo "build first (./run.sh demo), or set ANALYTICS" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/make_inputs.sh"
work=$(mktemp -d /tmp/analytics-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ANALYTICS_CONFIG=/dev/null

# instructions CMD...: the instructions CMD runs, counted by valgrind
# (cachegrind without its cache simulation: the same count run after run).
# Its callers check for valgrind first.
instructions() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/I *refs:/ { gsub(",", "", $NF); print $NF }'
}
