#!/usr/bin/env bash
# Hostile input into the database (issue 15): memory bounded by bytes, not
# rows; rejected lines stored with the privacy of accepted ones, in the
# database and in the --rejects file alike.
source "$(dirname "$0")/lib.sh"
export ANALYTICS_NOW=2026-03-02T00:00:00Z
"$ANALYTICS" migrate -q

# 30 lines each with a 10 MB query string: 925 MB RSS before; the rows are
# clamped and batches flush on bytes now.
python3 -c '
import sys
v = "a" * 10_000_000
for i in range(30):
    sys.stdout.write("1.2.3.4 - - [01/Mar/2026:10:00:%02d +0000] \"GET /api/x?q=%s&i=%d HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n" % (i, v, i))
' >"$WORK/long.log"
rss=$(python3 - "$ANALYTICS" ingest -q --format combined "$WORK/long.log" <<'PY'
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 if status == 0 else "failed")
PY
)
[ "$rss" != failed ] || fail "ingest of 30 lines of 10 MB failed"
[ "$rss" -lt 200 ] || fail "30 lines of 10 MB into the database: peak RSS ${rss} MB (over 200 MB)"
expect_eq "$(sql "SELECT count(*), max(length(request_query_string)) <= 8000, max(length(request_details::text)) < 20000 FROM access_logs")" \
    "30|t|t" "long rows stored clamped"
rm -f "$WORK/long.log"

# The same through the buffer: process takes rows up to a byte budget, not
# batch_size rows at once (before, the 30 rows of 10 MB were all taken in one batch).
sql "INSERT INTO opentelemetry_buffer (\"timestamp\", span_id, attributes)
     SELECT '2026-03-01T10:00:00Z'::timestamptz + i * interval '1 second', 'long' || i,
            jsonb_build_object('http.request.method', 'GET', 'url.path', '/api/x',
                               'url.query', 'q=' || repeat('b', 10000000) || '&i=' || i)
       FROM generate_series(1, 30) i" >/dev/null
rss=$(python3 - "$ANALYTICS" process -q <<'PY'
import resource, subprocess, sys
status = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 if status == 0 else "failed")
PY
)
[ "$rss" != failed ] || fail "process of 30 buffer rows of 10 MB failed"
[ "$rss" -lt 200 ] || fail "30 buffer rows of 10 MB: process peak RSS ${rss} MB (over 200 MB)"
echo "ok: process of 30 buffer rows of 10 MB: peak RSS ${rss} MB"
expect_eq "$(sql "SELECT count(*) FROM opentelemetry_buffer")" "0" "buffer drained"
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE request_path = '/api/x' AND length(request_query_string) <= 8000")" \
    "60" "long buffer rows stored clamped"

# Rejected lines: secrets, user names and client addresses redacted, in the
# table and in the --rejects file.
{
    printf '10.9.8.7 - alice [01/Mar/2026:10:00:00 +0000] "GET /x?api_key=SECRETZ HTTP/1.1" 200 notanumber "-" "x"\n'
    printf '10.9.8.7 - - [01/Mar/2026:11:00:00 +0000] "GET /ok?token=SECRETY HTTP/1.1" 200 5 "-" "x"\n'
} >"$WORK/bad.log"
expect_status 65 "$ANALYTICS" ingest --format combined --rejects "$WORK/rejects.jsonl" "$WORK/bad.log"
expect_eq "$(sql "SELECT count(*) FROM ingest_rejects")" "1" "one reject stored"
raw=$(sql "SELECT raw FROM ingest_rejects")
for leak in SECRETZ alice 10.9.8.7; do
    case "$raw" in *"$leak"*) fail "ingest_rejects.raw keeps $leak: $raw" ;; esac
    grep -q "$leak" "$WORK/rejects.jsonl" && fail "the --rejects file keeps $leak: $(cat "$WORK/rejects.jsonl")"
done
case "$raw" in *"GET /x?api_key=REDACTED"*) ;; *) fail "reject not kept redacted: $raw" ;; esac
expect_eq "$(sql "SELECT count(*) FROM access_logs WHERE request_path = '/ok' AND request_query_string IS NULL")" \
    "1" "the secret alone in a query string leaves none"
echo "hostile_input: ok"
