#!/usr/bin/env bash
# make bench: csfleak side by side with the reference pipelines of ../shared/anchors
# (scipy/skimage single-threaded, ITK 5.2 with 2 threads) on the same volumes, in the
# same run, reported as ratios. Volumes and binaries stay in $CSF_BENCH_DIR.
#   bash bench/run.sh BUILD_DIR     (env: CSF_BENCH_DIR=/tmp/csfleak-bench, CSF_BENCH_REPS=3,
#                                    CSF_BENCH_SIZES="small large")
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
ANCH=$(cd "$SRC/../shared/anchors" 2>/dev/null && pwd || true)
S=${CSF_BENCH_DIR:-/tmp/csfleak-bench}
R=${CSF_BENCH_REPS:-3}
SIZES=${CSF_BENCH_SIZES:-small large}
PY=/usr/bin/python3
mkdir -p "$S/results" "$S/itk"
RES="$S/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RES"
[[ -n "$ANCH" ]] || { echo "bench: ../shared/anchors not found beside the source tree" >&2; exit 1; }

cmake --build "$BUILD" -j "$(nproc)" --target bench_pipeline >/dev/null
for t in bench_mip bench_io bench_img1 bench_img2 bench_phantom bench_sih bench_report bench_dynamic; do
  cmake --build "$BUILD" -j "$(nproc)" --target "$t" >/dev/null 2>&1 || true
done
(cd "$S/itk" && cmake -DCMAKE_BUILD_TYPE=Release "$ANCH" >/dev/null && make -s) || echo "bench: ITK build failed; ITK column empty" >&2

{ lscpu | grep -E 'Model name|^CPU\(s\)'; uname -r; gcc --version | head -1; } > "$RES/machine.txt" 2>&1
for v in $SIZES; do
  case $v in small) dims="256 256 200" ;; large) dims="384 384 600" ;; esac
  [[ -f "$S/${v}_raw.nii" ]] || $PY "$ANCH/make_phantom.py" "$S" "$v" $dims >/dev/null
  echo "== $v: scipy" >&2
  $PY "$ANCH/bench_scipy.py" "$S/$v" "$R" > "$RES/scipy_$v.jsonl" 2>/dev/null || echo "bench: scipy failed" >&2
  if [[ -x "$S/itk/bench_itk" ]]; then
    echo "== $v: ITK (2 threads)" >&2
    ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=2 "$S/itk/bench_itk" "$S/$v" "$R" 0 > "$RES/itk2_$v.jsonl" 2>/dev/null || true
  fi
  for t in 2 1; do
    echo "== $v: csfleak ($t threads)" >&2
    /usr/bin/time -v "$BUILD/bench_pipeline" "$S/$v" "$R" "$t" > "$RES/csfleak${t}_$v.jsonl" 2> "$RES/rss_csfleak${t}_$v.txt"
  done
  if [[ -x "$BUILD/bench_mip" ]]; then
    # projections alone, csfleak and numpy interleaved (same load): docs/performance.md
    echo "== $v: projections (csfleak 2, 1 threads; numpy)" >&2
    bash "$SRC/bench/bench_mip.sh" "$BUILD" "$S/${v}_z6.nii.gz" "$RES/mip_${v}_" 5 3 ||
      echo "bench: projections failed" >&2
  fi
  if [[ -x "$BUILD/bench_io" ]]; then "$BUILD/bench_io" "$S/${v}_z6.nii.gz" > "$RES/io_$v.txt" 2>&1 || true; fi
done
for t in bench_img1 bench_img2 bench_phantom bench_sih bench_report bench_dynamic; do
  if [[ -x "$BUILD/$t" ]]; then echo "== $t" >&2; "$BUILD/$t" > "$RES/$t.txt" 2>&1 || true; fi
done
if [[ -f "$BUILD/libcsfleak-orthanc.so" && -x /usr/sbin/Orthanc ]]; then
  echo "== orthanc plugin" >&2
  bash "$SRC/bench/bench_orthanc.sh" "$BUILD" > "$RES/bench_orthanc.txt" 2>&1 || echo "bench: orthanc failed" >&2
fi
echo "== batch" >&2
bash "$SRC/bench/bench_batch.sh" "$BUILD" > "$RES/bench_batch.txt" 2>&1 || echo "bench: batch failed" >&2
$PY "$SRC/bench/summarise.py" "$RES" | tee "$RES/summary.md"
echo "bench: results in $RES" >&2
