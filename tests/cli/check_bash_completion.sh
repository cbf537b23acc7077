#!/usr/bin/env bash
# Drives the bash completion function as bash would on <TAB>.
# usage: check_bash_completion.sh COMPLETION_SCRIPT
set -u
. "$1"
fail=0
# complete WORDS... EXPECTED: the last word is being completed.
check() {
    local expected=$1; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
    _analytics
    local got="${COMPREPLY[*]}"
    if [ "$got" != "$expected" ]; then echo "FAIL: '$*<TAB>' gave [$got], expected [$expected]"; fail=1; fi
}
check "maintain" analytics ma
check "migrate" analytics mi
check "status start stop" analytics db st
check "combined common" analytics ingest --format c
check "combined common" analytics ingest -f c
check "api_usage" analytics rollup --job a
check "--dry-run" analytics migrate --dry
check "show" analytics config sh
check "text json" analytics --log-format ""
[ "$fail" -eq 0 ] && echo "bash completion works"
exit "$fail"
