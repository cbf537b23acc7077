#!/usr/bin/env bash
# Runs one command and checks its exit status, stdout and stderr.
# usage: run_cli_test.sh [--exit N] [--stdout RE] [--no-stdout RE] [--stderr RE]
#                        [--stderr-empty] [--compare FILE] -- COMMAND [ARGS...]
set -u
expect_exit=0; stdout_re=(); no_stdout_re=(); stderr_re=(); stderr_empty=0; compare=""
while [ $# -gt 0 ]; do
    case "$1" in
        --exit) expect_exit=$2; shift 2 ;;
        --stdout) stdout_re+=("$2"); shift 2 ;;
        --no-stdout) no_stdout_re+=("$2"); shift 2 ;;
        --stderr) stderr_re+=("$2"); shift 2 ;;
        --stderr-empty) stderr_empty=1; shift ;;
        --compare) compare=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "run_cli_test.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
out=$(mktemp); err=$(mktemp); trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
status=$?
fail=0
report() { echo "FAIL: $*"; fail=1; }
[ "$status" -eq "$expect_exit" ] || report "exit status $status, expected $expect_exit"
for re in "${stdout_re[@]+"${stdout_re[@]}"}"; do
    grep -Eq -- "$re" "$out" || report "stdout does not match /$re/"
done
for re in "${no_stdout_re[@]+"${no_stdout_re[@]}"}"; do
    grep -Eq -- "$re" "$out" && report "stdout matches /$re/ but must not"
done
for re in "${stderr_re[@]+"${stderr_re[@]}"}"; do
    grep -Eq -- "$re" "$err" || report "stderr does not match /$re/"
done
if [ "$stderr_empty" -eq 1 ] && [ -s "$err" ]; then report "stderr is not empty"; fi
if [ -n "$compare" ] && ! diff -u "$compare" "$out"; then report "stdout differs from $compare"; fi
if [ "$fail" -ne 0 ]; then
    echo "--- command: $*"; echo "--- stdout:"; head -c 4000 "$out"; echo "--- stderr:"; head -c 4000 "$err"
fi
exit "$fail"
