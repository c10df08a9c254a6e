#!/usr/bin/env bash
# Judge a detector change on kept phantom suites (docs/accuracy.md, "Deciding on a rule").
# Usage: bench/pool.sh BIN OUT [3d|2d|all] SUITE...
#   SUITE: a directory kept by `CSF_BENCH_KEEP=1 bench/accuracy.sh` (img/, truth/, pred/);
#   its pred/ holds the reference binary's predictions (the "before").
# Every case of every SUITE is re-analysed with BIN (--threads 1) into OUT/pred (named
# <suite>_<case>), both prediction sets are evaluated with `BIN evaluate`, and
# bench/region_diff.py lists every region that changed (FIXED / BROKE / GRADE).
# env: CSF_POOL_JOBS (default 2).
set -u
[[ $# -ge 4 ]] || { sed -n '2,8p' "$0" >&2; exit 1; }
BIN=$1; OUT=$2; P=$3; shift 3
[[ -x "$BIN" ]] || { echo "pool.sh: $BIN: not an executable" >&2; exit 1; }
case $P in 2d | 3d | all) ;; *) echo "pool.sh: protocol must be 2d, 3d or all, not '$P'" >&2; exit 1 ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT/truth" "$OUT/pred" "$OUT/base"
rm -f "$OUT"/truth/*.json "$OUT"/pred/*.json "$OUT"/base/*.json
list=()
for s in "$@"; do
  [[ -d "$s/truth" && -d "$s/img" ]] || { echo "pool.sh: $s: no truth/ and img/ (a kept suite?)" >&2; exit 1; }
  n=$(basename "$s")
  for t in "$s"/truth/case_*.truth.json; do
    [[ -e $t ]] || continue
    id=$(basename "$t" .truth.json); i=$((10#${id#case_}))
    # bench/accuracy.sh makes case i a 2D slab when i % 8 is 3 or 6
    if (( i % 8 == 3 || i % 8 == 6 )); then pr=2d; else pr=3d; fi
    [[ $P != all && $P != "$pr" ]] && continue
    cp "$t" "$OUT/truth/${n}_$id.truth.json"
    [[ -e "$s/pred/$id.json" ]] && ln -sf "$(cd "$s/pred" && pwd)/$id.json" "$OUT/base/${n}_$id.json"
    list+=("$s $n $id")
  done
done
one() { # suite name id
  local f=("$1/img/$3.nii.gz")
  [[ -e ${f[0]} ]] || f=("$1/img/$3"_st*.nii.gz)
  "$BIN" analyze "${f[@]}" --json "$OUT/pred/$2_$3.json" -q --threads 1 2>"$OUT/pred/$2_$3.err" ||
    echo "pool.sh: analyze $2 $3 failed: $(head -c 200 "$OUT/pred/$2_$3.err")" >&2
}
export -f one; export BIN OUT
printf '%s\n' "${list[@]}" | xargs -P "${CSF_POOL_JOBS:-2}" -L1 bash -c 'one "$0" "$1" "$2"'
echo "== this binary (${#list[@]} cases):"; "$BIN" evaluate --truth "$OUT/truth" --pred "$OUT/pred"
echo "== reference predictions on the same cases:"; "$BIN" evaluate --truth "$OUT/truth" --pred "$OUT/base"
echo "== region changes (before = reference, after = this binary):"
python3 "$HERE/region_diff.py" "$OUT/truth" "$OUT/base" "$OUT/pred"
