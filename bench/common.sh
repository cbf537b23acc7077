# Shared helpers for benchmarks: a private embedded cluster and timing.
set -euo pipefail
: "${ANALYTICS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/apps/analytics}"
[ -x "$ANALYTICS" ] || { echo "build first (./run.sh demo), or set ANALYTICS" >&2; exit 1; }
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE DATABASE_URL ANALYTICS_DB ANALYTICS_CONFIG
ANALYTICS_HOME=$(mktemp -d /tmp/analytics-bench.XXXXXX)
chmod 755 "$ANALYTICS_HOME"
export ANALYTICS_HOME
trap '"$ANALYTICS" db stop >/dev/null 2>&1 || true; rm -rf "$ANALYTICS_HOME"' EXIT
"$ANALYTICS" db start >/dev/null

# now_ns: monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# seconds START_NS END_NS
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b - a) / 1e9 }'; }

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
