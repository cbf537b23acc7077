#!/usr/bin/env bash
# Presses TAB, in a real shell, at the end of every line of completion_cases.txt
# and compares what the shell offers with what the case expects.
# usage: check_shell_completion.sh bash|zsh|fish COMPLETION_SCRIPT
set -u
shell=$1
script=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
command -v "$shell" >/dev/null || { echo "FAIL: $shell is not installed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/cwd" "$work/fpath" && cd "$work/cwd" && touch sample.log

# offered LINE: the words the shell offers, sorted, on one line.
offered() {
    case $shell in
        bash)
            bash --norc --noprofile -c '
                . "$1"; read -ra COMP_WORDS <<<"$2"
                [[ $2 == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
                _analytics; printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$1" ;;
        zsh)
            # zsh looks for _analytics in $fpath: the installed file name.
            cp "$script" "$work/fpath/_analytics"
            "$here/zsh_complete.zsh" "$work/fpath" "$1" ;;
        fish)
            fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$script" "$1" | cut -f1 ;;
    esac | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

fail=0 cases=0
while IFS='|' read -r typed expected; do
    [[ $typed != \#* && $typed == *'<TAB>'* ]] || continue
    typed=${typed%%<TAB>*}
    expected=$(xargs <<<"$expected")
    cases=$((cases + 1))
    got=$(offered "$typed")
    [ "$got" = "$expected" ] || { echo "FAIL ($shell): '$typed<TAB>' offered [$got], expected [$expected]"; fail=1; }
done <"$here/completion_cases.txt"
[ "$fail" -eq 0 ] && echo "$shell completion: $cases cases offer what they should"
exit "$fail"
