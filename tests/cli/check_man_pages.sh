#!/usr/bin/env bash
# Fails when a command or one of its long options is missing from the man pages,
# or analytics(1) does not show the cron and systemd examples as shipped.
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
# The examples shipped in /usr/share/doc/analytics/examples are the ones
# analytics(1) shows: each of their non-comment lines is on the page.
examples=$(cd "$man_dir/../examples" && pwd)
shown=$(sed -e 's/\\(aq/'"'"'/g' -e 's/\\e/\\/g' <<<"$main_page")
for example in "$examples/cron/analytics" "$examples"/systemd/*; do
    while IFS= read -r line; do
        [[ -z $line || $line == \#* ]] && continue
        grep -qxF -- "$line" <<<"$shown" || { echo "analytics.1 does not show this line of ${example#"$examples"/}: $line"; fail=1; }
    done <"$example"
done
[ "$fail" -eq 0 ] && echo "man pages document every command and option, and show the shipped examples"
exit "$fail"
