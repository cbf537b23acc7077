#!/usr/bin/env bash
# ingest --follow (issue 16): a log followed through rename-and-create,
# compression of the rotated file, copytruncate, kill -9 and a restart, then
# SIGTERM, holds exactly the rows of one ingest of the same files.
. "$(dirname "$0")/lib.sh"
expect_status 0 "$ANALYTICS" migrate
printf 'database:\n  schema: ref\n' > "$WORK/ref.yaml"
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" migrate

make_combined "$WORK/all.log" 6000
for part in 1 2 3 4 5 6; do
    sed -n "$(( (part - 1) * 1000 + 1 )),$(( part * 1000 ))p" "$WORK/all.log" > "$WORK/p$part"
done
logs=$WORK/logs
mkdir "$logs"

rows() { sql "SELECT count(*) FROM access_logs"; }

# wait_rows N WHAT: until access_logs holds N rows (20 s at most).
wait_rows() {
    local i
    for i in $(seq 1 80); do
        [ "$(rows)" = "$1" ] && return 0
        sleep 0.25
    done
    cat "$WORK/follow.err" >&2
    fail "$2: $(rows) rows, expected $1"
}

follow() {
    "$ANALYTICS" ingest --format combined --follow "$@" "$logs/access.log*" \
        >"$WORK/follow.out" 2>>"$WORK/follow.err" &
    pid=$!
}

follow --commit-interval 1
cat "$WORK/p1" > "$logs/access.log"
wait_rows 1000 "the first lines"

# Rename and create: the writer still appends to the renamed file for a
# moment, then writes a new access.log.
mv "$logs/access.log" "$logs/access.log.1"
head -n 500 "$WORK/p2" >> "$logs/access.log.1"
cat "$WORK/p3" > "$logs/access.log"
tail -n 500 "$WORK/p2" >> "$logs/access.log.1"
wait_rows 3000 "rename and create"

# The rotated file compressed: read at most to check it, never loaded twice.
gzip "$logs/access.log.1"
sleep 7 # the renamed file's reader closes after 5 s without lines
[ "$(rows)" = 3000 ] || fail "after gzip of the rotated file: $(rows) rows"

# Copytruncate: the next rotation copies the live file, then empties it.
mv "$logs/access.log.1.gz" "$logs/access.log.2.gz"
cp "$logs/access.log" "$logs/access.log.1"
: > "$logs/access.log"
cat "$WORK/p4" >> "$logs/access.log"
wait_rows 4000 "copytruncate"

# kill -9 while lines arrive, then a restart.
for chunk in $(seq 0 9); do
    sed -n "$(( chunk * 100 + 1 )),$(( chunk * 100 + 100 ))p" "$WORK/p5" >> "$logs/access.log"
    sleep 0.1
    if [ "$chunk" = 5 ]; then kill -9 "$pid"; fi
done
wait "$pid" 2>/dev/null || true
follow --commit-interval 1
wait_rows 5000 "restart after kill -9"
stop_follow() {
    kill -TERM "$pid"
    set +e; wait "$pid"; status=$?; set -e
    expect_eq "$status" 0 "exit status after SIGTERM ($(cat "$WORK/follow.err"))"
}
stop_follow

# SIGTERM at once after lines were written: they are read, committed, and
# the exit status is 0.
follow --commit-interval 600
sleep 2
cat "$WORK/p6" >> "$logs/access.log"
stop_follow
expect_eq "$(rows)" 6000 "rows committed by SIGTERM"

# The same files in one run: the same rows.
expect_status 0 "$ANALYTICS" --config "$WORK/ref.yaml" ingest --format combined "$logs/access.log*"
expect_eq "$(table_digest access_logs analytics)" "$(table_digest access_logs ref)" \
    "followed rows against one ingest of the same files"
expect_eq "$(sql "SELECT count(*) FROM ref.access_logs")" 6000 "rows of the one-shot ingest"
echo "ok"
