#!/usr/bin/env bash
# Fails when a command or one of its long options is missing from the man pages.
# usage: check_man_pages.sh ANALYTICS MAN_DIR COMMAND...
set -u
analytics=$1; man_dir=$2; shift 2
fail=0
[ -f "$man_dir/analytics.1" ] || { echo "missing $man_dir/analytics.1"; exit 1; }
main_page=$(sed 's/\\-/-/g' "$man_dir/analytics.1")
for command in "$@"; do
    page="$man_dir/analytics-$command.1"
    if [ ! -f "$page" ]; then echo "missing man page $page"; fail=1; continue; fi
    grep -q -- "$command" <<<"$main_page" || { echo "analytics.1 does not mention $command"; fail=1; }
    text=$(sed 's/\\-/-/g' "$page")
    for option in $("$analytics" "$command" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
        [ "$option" = "--help" ] && continue
        grep -q -- "$option" <<<"$text$main_page" || { echo "$page: option $option is not documented"; fail=1; }
    done
done
[ "$fail" -eq 0 ] && echo "man pages document every command and option"
exit "$fail"
