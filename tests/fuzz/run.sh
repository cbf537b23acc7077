#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one.
#   tests/fuzz/run.sh [SECONDS_PER_TARGET]   (default 30; CI uses a short run)
# Crashes are written to build-fuzz/crashes/<target>/ and make the script fail.
set -eu
seconds=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DANALYTICS_FUZZ=ON >/dev/null
targets="text json events fields"
cmake --build "$build" -j"$(nproc)" --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)
# bench/fuzz.sh builds through here, then runs its own long run.
[ -z "${ANALYTICS_FUZZ_BUILD_ONLY:-}" ] || exit 0
status=0
for target in $targets; do
    mkdir -p "$build/crashes/$target" "$build/corpus/$target"
    echo "fuzz_$target: ${seconds}s"
    if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=65536 \
        -rss_limit_mb=2048 -artifact_prefix="$build/crashes/$target/" \
        "$build/corpus/$target" "$root/tests/fuzz/corpus/$target" 2>"$build/fuzz_$target.log"; then
        echo "fuzz_$target FAILED; see $build/fuzz_$target.log" >&2
        tail -40 "$build/fuzz_$target.log" >&2
        status=1
    else
        grep -E '^(#[0-9]+|Done)' "$build/fuzz_$target.log" | tail -1
    fi
done
exit $status
