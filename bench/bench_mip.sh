#!/usr/bin/env bash
# Projections of csfleak (bench_mip, 2 and 1 threads) and numpy (bench_mip.py) on the same
# file, interleaved round by round so that both meet the same machine load; each step's
# minimum over all rounds is what bench/summarise.py reports (docs/performance.md).
#   bash bench/bench_mip.sh BUILD_DIR FILE.nii.gz OUT_PREFIX [ROUNDS=5] [REPS=3]
# writes OUT_PREFIX{csfleak2,csfleak1,numpy}.jsonl (one line per step and round).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench_mip.sh BUILD_DIR FILE OUT_PREFIX [ROUNDS] [REPS]}" && pwd)
FILE=${2:?file}; OUT=${3:?out prefix}; ROUNDS=${4:-5}; REPS=${5:-3}
SRC=$(cd "$(dirname "$0")/.." && pwd)
: > "${OUT}csfleak2.jsonl"; : > "${OUT}csfleak1.jsonl"; : > "${OUT}numpy.jsonl"
for r in $(seq 1 "$ROUNDS"); do
  "$BUILD/bench_mip" "$FILE" "$REPS" 2 >> "${OUT}csfleak2.jsonl"
  /usr/bin/python3 "$SRC/bench/bench_mip.py" "$FILE" "$REPS" >> "${OUT}numpy.jsonl"
  "$BUILD/bench_mip" "$FILE" "$REPS" 1 >> "${OUT}csfleak1.jsonl"
done
