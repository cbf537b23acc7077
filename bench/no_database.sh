# Shared set-up of the benchmarks that need no database (sourced): the binary
# checked, the input generators, a work directory removed on exit, and no
# configuration file read.
set -euo pipefail
: "${ANALYTICS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/apps/analytics}"
[ -x "$ANALYTICS" ] || { echo "build first (./run.sh demo), or set ANALYTICS" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/make_inputs.sh"
work=$(mktemp -d /tmp/analytics-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ANALYTICS_CONFIG=/dev/null
