#!/usr/bin/env bash
# Runs a libFuzzer target for a short time on a scratch copy of its seed corpus:
#   run.sh FUZZER SEED_DIR [SECONDS]
# 30 s by default, 600 s with CRM_LONG_TESTS=1. Exit non-zero on any crash or sanitizer report.
set -euo pipefail
FUZZER=$1
SEEDS=$2
SECS=${3:-30}
[ "${CRM_LONG_TESTS:-0}" = 1 ] && SECS=600
WORK=$(mktemp -d /tmp/crm-fuzz-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -r "$SEEDS"/. "$WORK/corpus/" 2>/dev/null || mkdir -p "$WORK/corpus"
cd "$WORK"
DICT=(); [ -f "$(dirname "$0")/$(basename "$FUZZER").dict" ] && DICT=(-dict="$(cd "$(dirname "$0")" && pwd)/$(basename "$FUZZER").dict")
"$FUZZER" "${DICT[@]}" -max_total_time="$SECS" -print_final_stats=1 corpus 2>&1 | tail -n 12
