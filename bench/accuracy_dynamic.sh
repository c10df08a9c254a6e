#!/usr/bin/env bash
# Accuracy of `csfleak dynamic` on phantom series never used while developing
# (seeds from CSF_DYN_SEED, default 8100000; development used seeds below 1000, and
# 7300000.. once for an intermediate check). Each series is analysed twice: with
# times and levels as a scanner and a scout would give them, and without --levels
# (levels found in the images' bones, or null).
#   bash bench/accuracy_dynamic.sh BUILD_DIR     (env: CSF_DYN_N=100 series per modality,
#                                                 CSF_DYN_DIR=/tmp/csfleak-dyn-acc)
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
N=${CSF_DYN_N:-100}
SEED=${CSF_DYN_SEED:-8100000}
D=${CSF_DYN_DIR:-/tmp/csfleak-dyn-acc}
mkdir -p "$D"
cmake --build "$BUILD" --target csfleak dyn_accuracy >/dev/null
: > "$D/list.txt"
args() { # times (and, unless $2 = nolevels, levels) from the truth, as a scout / the scanner would give them
  /usr/bin/python3 - "$1" "${2:-}" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
a = ["--times", ",".join("%.6g" % x for x in t["dynamic"]["times"])]
if sys.argv[2] != "nolevels":
    a += ["--levels", ",".join("%s=%.3f" % kv for kv in t["levels"].items())]
print(" ".join(a))
PY
}
: > "$D/list_nolevels.txt"
for mod in ctm dsm ric; do
  for ((i = 0; i < N; i++)); do
    s=$((SEED + i)); b="$D/${mod}_$s"
    "$BUILD/csfleak" phantom --dynamic "$mod" -o "$b.nii.gz" --truth "$b.truth.json" --seed "$s" --kind random
    # shellcheck disable=SC2046
    "$BUILD/csfleak" dynamic "$b.nii.gz" --modality "$mod" $(args "$b.truth.json") --json "$b.result.json" --quiet \
      || echo "accuracy_dynamic: analysis failed on seed $s ($mod)" >&2
    # shellcheck disable=SC2046
    "$BUILD/csfleak" dynamic "$b.nii.gz" --modality "$mod" $(args "$b.truth.json" nolevels) --json "$b.nolv.json" --quiet \
      || echo "accuracy_dynamic: analysis without levels failed on seed $s ($mod)" >&2
    echo "$mod $b.truth.json $b.result.json" >> "$D/list.txt"
    echo "$mod $b.truth.json $b.nolv.json" >> "$D/list_nolevels.txt"
    rm -f "$b.nii.gz"
  done
done
echo "csfleak dynamic accuracy: $N series per modality, seeds $SEED..$((SEED + N - 1))"
echo "== times and levels given (--times, --levels from the truth)"
"$BUILD/dyn_accuracy" "$D/list.txt"
echo "== times given, levels found in the images (no --levels)"
"$BUILD/dyn_accuracy" "$D/list_nolevels.txt"
