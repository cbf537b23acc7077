# The commands of the shipped examples, as cron and systemd run them: read by
# tests/db/cron_example.sh (on a private cluster) and tests/package/service_user.sh
# (as the package's system user). Source it.

# cron_jobs CRON_FILE: one line per job, "USER COMMAND".
cron_jobs() {
    local minute hour dom month dow user command
    while read -r minute hour dom month dow user command; do
        [[ -z $minute || $minute == \#* || $minute == *=* ]] && continue
        echo "$user $command"
    done <"$1"
}

# unit_exec_start UNIT_FILE [ENVIRONMENT_FILE]: the unit's ExecStart with its
# variables replaced as systemd does: the unit's Environment= defaults, then
# those of ENVIRONMENT_FILE (its EnvironmentFile=); ${NAME} is one word, $NAME
# is split on spaces. systemd expands no glob: run the result under 'set -f'.
unit_exec_start() {
    local unit=$1 env_file=${2:-} line name value word
    local -A vars=()
    set -f
    for word in $(sed -n 's/^Environment=//p' "$unit"); do
        vars[${word%%=*}]=${word#*=}
    done
    set +f
    if [ -n "$env_file" ]; then
        while IFS= read -r line; do
            [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
            name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
            value=${value#\"} value=${value%\"}
            vars[$name]=$value
        done <"$env_file"
    fi
    line=$(sed -n 's/^ExecStart=//p' "$unit")
    for name in "${!vars[@]}"; do
        line=${line//"\${$name}"/${vars[$name]}}
    done
    # $NAME (the whole name: the match is greedy); an unset one vanishes.
    while [[ $line =~ \$([A-Za-z_][A-Za-z0-9_]*) ]]; do
        name=${BASH_REMATCH[1]}
        line=${line/"\$$name"/${vars[$name]:-}}
    done
    echo "$line" | tr -s ' '
}
