#!/usr/bin/env bash
# metrics.pushgateway_url: analytics pushes its run metrics to a Pushgateway
# (a small receiver on 127.0.0.1 records the requests) before writing the
# textfile; a failed or hung push is reported and does not fail the run.
# usage: check_pushgateway.sh ANALYTICS_BINARY
set -u
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
INPUT=$HERE/../data/ingest/common.log
dir=$(mktemp -d)
receiver=""
cleanup() { [ -n "$receiver" ] && kill "$receiver" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail=0
report() { echo "FAIL: $*"; fail=1; }

# start MODE: a receiver answering in MODE; sets $port.
start() {
    [ -n "$receiver" ] && kill "$receiver" 2>/dev/null
    rm -f "$dir/port" "$dir/requests" "$dir/metrics.prom"
    python3 "$HERE/pushgateway_receiver.py" "$1" "$dir/port" "$dir/requests" "$dir/metrics.prom" &
    receiver=$!
    for _ in $(seq 600); do [ -s "$dir/port" ] && break; sleep 0.1; done
    port=$(cat "$dir/port")
}

# config URL [EXTRA_YAML]
config() {
    printf 'metrics:\n  enabled: true\n  metrics_file_path: %s\n  pushgateway_url: "%s"\n  georchestra_names: true\n%s' \
        "$dir/metrics.prom" "$1" "${2:-}" >"$dir/config.yaml"
}

# field NAME: NAME of the last request received, empty if none.
field() {
    [ -s "$dir/requests" ] || return 0
    python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])[sys.argv[2]])' "$dir/requests" "$1"
}

# Every line of the body is a comment or a sample of the text exposition format.
check_exposition() {
    [ -s "$dir/requests" ] || { report "nothing was pushed"; return; }
    python3 - "$dir/requests" <<'PY' || report "body is not in the exposition format"
import json, re, sys
body = json.loads(open(sys.argv[1]).readlines()[-1])["body"]
sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\})? -?[0-9.]+(e[-+]?[0-9]+)?$')
assert body.endswith("\n") and body.strip(), body
for line in body.splitlines():
    if line.startswith("# HELP ") or re.match(r"^# TYPE \S+ (gauge|summary)$", line):
        continue
    assert sample.match(line), line
PY
}

# 1. A successful run: PUT to the job's group before the textfile is written.
start ok
config "127.0.0.1:$port"
"$BIN" --config "$dir/config.yaml" ingest --output "$dir/out.jsonl" "$INPUT" >"$dir/stdout" 2>"$dir/stderr"
status=$?
[ "$status" -eq 0 ] || report "ok: exit status $status: $(cat "$dir/stderr")"
[ -s "$dir/stderr" ] && report "ok: stderr not empty: $(cat "$dir/stderr")"
[ "$(field method)" = PUT ] || report "ok: method $(field method), expected PUT"
[ "$(field path)" = /metrics/job/analytics-cli/instance/ingest ] || report "ok: path $(field path)"
[[ "$(field content_type)" == "text/plain; version=0.0.4"* ]] || report "ok: content type $(field content_type)"
[ "$(field textfile_existed)" = False ] || report "ok: the textfile was written before the push"
body=$(field body)
for want in '# TYPE job_duration_seconds summary' 'job_duration_seconds_count{command="file2db"} 1' \
    'job_duration_seconds_sum{command="file2db"} ' 'job_last_success_unixtime{command="file2db"} 1' \
    'analytics_last_exit_code{command="ingest"} 0' 'analytics_last_success_timestamp_seconds{command="ingest"} 1'; do
    grep -qF -- "$want" <<<"$body" || report "ok: body has no '$want'"
done
check_exposition
[ "$(cat "$dir/metrics.prom")" = "$body" ] || report "ok: the textfile differs from what was pushed"

# 2. A failed run, job configured: POST (the gateway keeps the last success time).
config "http://127.0.0.1:$port/" '  pushgateway_job: nightly load
'
"$BIN" --config "$dir/config.yaml" ingest --output /dev/null "$dir/no-such.log" >/dev/null 2>"$dir/stderr"
status=$?
[ "$status" -eq 66 ] || report "failed run: exit status $status, expected 66"
[ "$(field method)" = POST ] || report "failed run: method $(field method), expected POST"
[ "$(field path)" = /metrics/job/nightly%20load/instance/ingest ] || report "failed run: path $(field path)"
body=$(field body)
grep -qF 'analytics_last_exit_code{command="ingest"} 66' <<<"$body" || report "failed run: no exit code 66"
grep -q 'last_success' <<<"$body" && report "failed run: a last success time was pushed"
check_exposition

# 3. The gateway refuses: reported as such, password masked, the run's work done.
start fail
config "http://pusher:s3cret@127.0.0.1:$port"
"$BIN" --config "$dir/config.yaml" ingest --output "$dir/out.jsonl" "$INPUT" >"$dir/stdout" 2>"$dir/stderr"
status=$?
[ "$status" -eq 0 ] || report "refused: exit status $status, expected 0"
grep -q "cannot push metrics to http://pusher:\*\*\*\*\*\*\*\*@127.0.0.1:$port/metrics/job/analytics-cli/instance/ingest: HTTP status 500: boom" "$dir/stderr" ||
    report "refused: stderr: $(cat "$dir/stderr")"
grep -q s3cret "$dir/stderr" "$dir/stdout" && report "refused: the password was printed"
[ "$(wc -l <"$dir/out.jsonl")" -gt 0 ] || report "refused: no records written"
grep -q 'job_last_success_unixtime{command="file2db"}' "$dir/metrics.prom" || report "refused: textfile not written"

# 4. The gateway hangs: the timeout ends the push.
start hang
config "http://127.0.0.1:$port" '  pushgateway_timeout: 1s
'
started=$(date +%s)
"$BIN" --config "$dir/config.yaml" ingest --output /dev/null "$INPUT" >/dev/null 2>"$dir/stderr"
status=$?
elapsed=$(($(date +%s) - started))
[ "$status" -eq 0 ] || report "hang: exit status $status, expected 0"
# The receiver holds a request 30 s: well under that, the 1 s timeout cut it.
[ "$elapsed" -lt 25 ] || report "hang: took ${elapsed}s with a 1s timeout"
grep -qi "cannot push metrics.*timeout\|cannot push metrics.*timed out" "$dir/stderr" || report "hang: stderr: $(cat "$dir/stderr")"

exit "$fail"
