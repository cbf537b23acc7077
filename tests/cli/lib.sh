# Sourced by the tests/cli checks: a scratch directory $tmp removed on exit,
# and report, which prints a failure and marks the check failed; the check
# ends with `exit "$fail"`.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
report() {
    echo "FAIL: $*"
    fail=1
}
