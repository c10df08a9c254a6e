#!/usr/bin/env bash
# make bench-robustness: does the detector hold when the world differs from our
# phantom model? The same phantoms are analysed as generated and perturbed
# (bench/robust_variant.py): a patient 15 % smaller or larger, another
# sequence's contrast (gamma), another scanner's blur, a 1.5 x coarser voxel
# grid (another matrix / slice thickness). A rule tied to our
# model's sizes or intensities shows up as a figure that moves with a variant.
# Usage: bench/robustness.sh BUILD_DIR
#   env: CSF_ROB_COUNT (default 40 phantoms), CSF_ROB_SEED (default 31337, not
#   a development seed), CSF_ROB_DIR (work dir, default BUILD/bench-robustness),
#   CSF_ROB_JOBS (default 2), CSF_ROB_VARIANTS (default below), CSF_ROB_PROTOCOL
#   (3d, the default, or 2d: the same variants on the coronal thick-slab protocol).
set -u
B="${1:-build}"; CSF="$B/csfleak"
N="${CSF_ROB_COUNT:-40}"; SEED="${CSF_ROB_SEED:-31337}"; JOBS="${CSF_ROB_JOBS:-2}"
D="${CSF_ROB_DIR:-$B/bench-robustness}"
PROTO="${CSF_ROB_PROTOCOL:-3d}"
case $PROTO in 2d | 3d) ;; *) echo "robustness: CSF_ROB_PROTOCOL must be 2d or 3d, not '$PROTO'" >&2; exit 1 ;; esac
VARIANTS="${CSF_ROB_VARIANTS:-none scale:0.85 scale:1.15 gamma:0.6 blur:0.8 grid:1.5}"
HERE="$(cd "$(dirname "$0")" && pwd)"
[[ -x "$CSF" ]] || { echo "no $CSF: build first" >&2; exit 1; }
# the kept phantoms in DIR/src are reused: never mix the two protocols in one DIR
if [[ -s "$D/src/protocol" && "$(cat "$D/src/protocol")" != "$PROTO" ]]; then
  echo "robustness: $D holds $(cat "$D/src/protocol") phantoms, not $PROTO: use another CSF_ROB_DIR" >&2; exit 1; fi
/usr/bin/python3 -c 'import nibabel, scipy' 2>/dev/null ||
  { echo "robustness: needs python3-nibabel and python3-scipy (scripts/install-deps.sh --bench)" >&2; exit 1; }
mkdir -p "$D/src"
echo "$PROTO" >"$D/src/protocol"

one() { # i: one phantom, every variant analysed
  local i=$1 id; id=$(printf 'case_%04d' "$i")
  local img="$D/src/$id.nii.gz" tru="$D/src/$id.truth.json"
  if [[ ! -s "$tru" ]] && ! "$CSF" phantom -o "$img" --truth "$tru" --random \
      --seed $((SEED * 1000 + i)) --protocol "$PROTO" -q 2>"$D/src/$id.err"; then
    echo "phantom $id failed: $(head -c 200 "$D/src/$id.err")" >&2; return 0; fi
  local v name
  for v in $VARIANTS; do
    name=${v//[:.]/_}
    mkdir -p "$D/$name/truth" "$D/$name/pred"
    local vi="$D/$name/$id.nii.gz"
    /usr/bin/python3 "$HERE/robust_variant.py" "$img" "$tru" "$v" "$vi" "$D/$name/truth/$id.truth.json" ||
      { echo "variant $v of $id failed" >&2; continue; }
    "$CSF" analyze "$vi" --json "$D/$name/pred/$id.json" -q --threads 1 2>"$D/$name/pred/$id.err" ||
      echo "analyze $id ($v) failed: $(head -c 200 "$D/$name/pred/$id.err")" >&2
    rm -f "$vi"
  done
}
export -f one; export CSF D SEED HERE VARIANTS PROTO
t0=$(date +%s)
seq 0 $((N - 1)) | xargs -P "$JOBS" -I{} bash -c 'one {}'
echo "robustness: $N $PROTO phantoms x {$VARIANTS}, seed $SEED, $(( $(date +%s) - t0 )) s ($JOBS jobs)"
rc=0
printf '%-12s %6s %6s %6s %6s %6s %6s\n' variant sens spec wkappa level cyst slec
for v in $VARIANTS; do
  name=${v//[:.]/_}
  "$CSF" evaluate --truth "$D/$name/truth" --pred "$D/$name/pred" --json "$D/$name/evaluation.json" \
    >"$D/$name/evaluation.txt" 2>&1 || rc=1
  /usr/bin/python3 - "$D/$name/evaluation.json" "$v" "$PROTO" <<'EOF' || rc=1
import json, sys
e = json.load(open(sys.argv[1]))
a = e.get(sys.argv[3]) or e["all"]
def f(k):
    x = a.get(k)
    if isinstance(x, dict):
        x = x.get("value")
    return "-" if x is None else f"{x:.3f}"
print(f"{sys.argv[2]:<12} {f('region_sensitivity'):>6} {f('region_specificity'):>6} "
      f"{f('kappa_quadratic'):>6} {f('leak_level_within_1'):>6} {f('cysts_called_leaks'):>6} "
      f"{f('slec_presence_correct'):>6}")
EOF
done
exit $rc
