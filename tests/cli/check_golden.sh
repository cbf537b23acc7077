#!/bin/sh
# Golden-file test of `analytics ingest`: runs the command in the data
# directory (so paths in the output are relative), with --rejects, and
# compares stdout with NAME.expected.jsonl and the rejects with
# NAME.rejects.jsonl (which must then exist, possibly empty).
#   check_golden.sh DATA_DIR NAME EXPECTED_EXIT -- COMMAND...
# Set UPDATE_GOLDEN=1 to rewrite the expected files (then review the diff).
set -u
data=$1 name=$2 expected_exit=$3
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$data" || exit 2
"$@" --rejects "$tmp/rejects.jsonl" >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/stdout" "$name.expected.jsonl"
    cp "$tmp/rejects.jsonl" "$name.rejects.jsonl"
fi
failed=0
if [ "$status" -ne "$expected_exit" ]; then
    echo "exit status $status, expected $expected_exit"
    failed=1
fi
if ! diff -u "$name.expected.jsonl" "$tmp/stdout"; then
    echo "stdout differs from $name.expected.jsonl"
    failed=1
fi
if ! diff -u "$name.rejects.jsonl" "$tmp/rejects.jsonl"; then
    echo "rejects differ from $name.rejects.jsonl"
    failed=1
fi
if [ "$failed" -ne 0 ]; then
    echo "--- stderr:"
    cat "$tmp/stderr"
fi
exit $failed
