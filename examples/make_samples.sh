#!/usr/bin/env bash
# Regenerates the bundled sample logs with 'analytics generate': one week
# (Monday 2026-11-16 to Monday 2026-11-23) of a platform's traffic, in three
# of the input formats, each with its own seed (the same seed would describe
# the same requests twice).
#   examples/make_samples.sh [ANALYTICS]
set -euo pipefail
cd "$(dirname "$0")"
analytics=${1:-../build/apps/analytics}
range=(--from 2026-11-16T00:00:00Z --to 2026-11-23T00:00:00Z)
export ANALYTICS_CONFIG=/dev/null
"$analytics" generate "${range[@]}" --format combined --rate 100 --seed 1 -o logs/access.log.gz
"$analytics" generate "${range[@]}" --format otel --rate 20 --seed 2 -o logs/gateway-otel.jsonl.gz
"$analytics" generate "${range[@]}" --format events --rate 4 --seed 3 -o logs/beacons.jsonl.gz
