#!/usr/bin/env bash
# make bench-accuracy: a phantom suite the detector was never tuned on, analysed
# case by case, then `csfleak evaluate`. Usage: bench/accuracy.sh BUILD_DIR
#   env: CSF_BENCH_COUNT (default 200), CSF_BENCH_SEED (default 20261125, the
#   benchmark seed: never used while developing), CSF_BENCH_DIR (work dir, kept),
#   CSF_BENCH_JOBS (default 2), CSF_BENCH_KEEP=1 keeps (and reuses) the images,
#   CSF_BENCH_ONLY=2d runs only the 2D settings (i % 8 == 3 or 6), =3d only the
#   3D ones (development; the default runs every case); CSF_BENCH_NO_DYNAMIC=1
#   skips the time-resolved part.
# Cases cycle through the design below (pathology drawn at random from the
# seed by `csfleak phantom --random`): 3D at 1 mm in RAS / LPS / PSR storage,
# anisotropic voxels, SNR 15-40, one or two stations, and the 2D thick-slab
# protocol. The figures go to stdout and DIR/evaluation.json.
set -u
B="${1:-build}"; CSF="$B/csfleak"
N="${CSF_BENCH_COUNT:-200}"; SEED="${CSF_BENCH_SEED:-20261125}"; JOBS="${CSF_BENCH_JOBS:-2}"
D="${CSF_BENCH_DIR:-$B/bench-accuracy}"
mkdir -p "$D/truth" "$D/pred" "$D/img"
[[ -x "$CSF" ]] || { echo "no $CSF: build first" >&2; exit 1; }

one() { # i
  local i=$1 id; id=$(printf 'case_%04d' "$i")
  case "${CSF_BENCH_ONLY:-}:$((i % 8))" in
    2d:3 | 2d:6 | 3d:[0124578] | :*) ;;
    *) return 0 ;;
  esac
  local s=$((SEED * 1000 + i)) orient=RAS vox=1 snr=30 extra=() proto=3d
  case $((i % 8)) in
    0) orient=RAS ;;
    1) orient=LPS; snr=20 ;;
    2) orient=PSR; vox=0.9,0.9,1.2 ;;
    3) proto=2d ;;
    4) orient=RAS; snr=15 ;;
    5) orient=LPS; extra=(--stations 2) ;;
    6) proto=2d; snr=20 ;;
    7) orient=PSR; vox=1.2,1,1; snr=40 ;;
  esac
  local args=(--random --seed "$s" --snr "$snr" -q)
  if [[ $proto == 2d ]]; then args+=(--protocol 2d); else args+=(--orient "$orient" --voxel "$vox" "${extra[@]}"); fi
  if [[ -s "$D/truth/$id.truth.json" && -n "${CSF_BENCH_KEEP:-}" ]] && ls "$D/img/$id"*.nii.gz >/dev/null 2>&1; then
    : # kept from an earlier run (CSF_BENCH_KEEP=1)
  elif ! "$CSF" phantom -o "$D/img/$id.nii.gz" --truth "$D/truth/$id.truth.json" "${args[@]}" 2>"$D/img/$id.err"; then
    echo "phantom $id failed: $(head -c 200 "$D/img/$id.err")" >&2; return 0; fi
  local files=()
  if [[ -e "$D/img/$id.nii.gz" ]]; then files=("$D/img/$id.nii.gz"); else files=("$D/img/${id}"_st*.nii.gz); fi
  "$CSF" analyze "${files[@]}" --json "$D/pred/$id.json" -q --threads 1 2>"$D/pred/$id.err" ||
    echo "analyze $id failed: $(head -c 200 "$D/pred/$id.err")" >&2
  [[ -n "${CSF_BENCH_KEEP:-}" ]] || rm -f "${files[@]}"
}
export -f one; export CSF D SEED
t0=$(date +%s)
seq 0 $((N - 1)) | xargs -P "$JOBS" -I{} bash -c 'one {}'
t1=$(date +%s)
echo "suite: $N cases, seed $SEED, generated and analysed in $((t1 - t0)) s ($JOBS jobs)"
"$CSF" evaluate --truth "$D/truth" --pred "$D/pred" --json "$D/evaluation.json"
rc=$?
# Time-resolved studies (docs/dynamic.md), when the script is present.
dyn="$(dirname "$0")/accuracy_dynamic.sh"
if [[ -f "$dyn" && -z "${CSF_BENCH_NO_DYNAMIC:-}" ]]; then bash "$dyn" "$B" || rc=1; fi
exit $rc
