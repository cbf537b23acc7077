#!/usr/bin/env zsh
# Prints what zsh offers when TAB is pressed at the end of a command line: an
# interactive zsh in a pseudo-terminal (zpty), compinit with FPATH_DIR first in
# $fpath, and compadd wrapped so that each match it adds is printed, one a line.
# usage: zsh_complete.zsh FPATH_DIR 'analytics ma'
emulate -L zsh
zmodload zsh/zpty || exit 2
local init=$(mktemp) out="" chunk line
trap 'rm -f $init; zpty -d completion 2>/dev/null' EXIT
export ZSH_COMPLETE_FPATH=$1
# \x1e marks where the matches begin and end in the terminal's output.
cat >$init <<'INIT'
PROMPT='' RPROMPT=''
fpath=($ZSH_COMPLETE_FPATH $fpath)
autoload -Uz compinit && compinit -u -D
bindkey '^I' complete-word
_zc_mark() { print -rn -- $'\x1e'; print }
_zc_done() { _zc_mark; exit }
compprefuncs=(_zc_mark)
comppostfuncs=(_zc_done)
compadd() {
    # -O, -A and -D only collect matches: not ours to print.
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
    local -a zc_hits
    builtin compadd -A zc_hits "$@"
    (( $#zc_hits )) && print -rl -- $zc_hits
}
print ZC_READY
INIT
zpty completion zsh -f -i
zpty -w completion "source $init"
repeat 50; do zpty -r completion line && [[ $line == ZC_READY* ]] && break; done
zpty -w completion "$2"$'\t'
local deadline=$(( SECONDS + 20 ))
while (( SECONDS < deadline )); do
    if zpty -r -t completion chunk 2>/dev/null; then
        out+=$chunk
        [[ $out == *$'\x1e'*$'\x1e'* ]] && break
    else
        sleep 0.02
    fi
done
[[ $out == *$'\x1e'*$'\x1e'* ]] || { print -u2 "zsh_complete: no completion output for '$2'"; exit 2; }
out=${out#*$'\x1e'}
out=${out%%$'\x1e'*}
print -rn -- ${out//$'\r'/}
