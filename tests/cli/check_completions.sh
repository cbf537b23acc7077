#!/usr/bin/env bash
# Fails when the committed completion scripts differ from what the binary
# generates, or do not name every command of ANALYTICS_COMMANDS.
# usage: check_completions.sh ANALYTICS COMPLETIONS_DIR COMMAND...
set -u
analytics=$1; dir=$2; shift 2
fail=0
for shell in bash zsh fish; do
    case $shell in bash) file=$dir/analytics.bash ;; zsh) file=$dir/_analytics ;; fish) file=$dir/analytics.fish ;; esac
    if ! "$analytics" completions $shell | diff -u "$file" - ; then
        echo "FAIL: $file is out of date: regenerate with '$analytics completions $shell > $file'"
        fail=1
    fi
    for command in "$@"; do
        grep -q -- "$command" "$file" || { echo "FAIL: $file does not complete '$command'"; fail=1; }
    done
done
# The registry and CMake's ANALYTICS_COMMANDS must name the same commands.
listed=$("$analytics" --help | awk '/^(Commands|Supporting commands):/{f=1;next} f&&/^  [a-z]/{print $1}' | sort | tr '\n' ' ')
expected=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
[ "$listed" = "$expected" ] || { echo "FAIL: --help lists [$listed], ANALYTICS_COMMANDS is [$expected]"; fail=1; }
[ "$fail" -eq 0 ] && echo "completions match the command line for bash, zsh and fish"
exit "$fail"
