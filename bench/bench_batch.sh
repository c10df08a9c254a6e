#!/usr/bin/env bash
# Throughput, per-study overhead and memory of `csfleak batch` (not a test; docs/batch.md).
#   bash bench/bench_batch.sh BUILD_DIR    (env: CSF_BENCH_DIR=/tmp/csfleak-bench-batch,
#                                           N=50 studies, VOXEL=2 mm, JOBS=nproc)
# 1. --jobs 1 over the cohort: each record's time_ms is the single-study time (analysis,
#    PNGs, HTML report, in its child); wall - sum(time_ms) is the batch's own overhead.
# 2. --jobs JOBS over the same cohort: throughput against JOBS / single-study time.
# 3. Memory: total RSS of the batch process tree, sampled every 20 ms (in a separate,
#    untimed run), against
#    JOBS x the peak RSS of one `csfleak analyze` + report of the largest study.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd); CSF="$BUILD/csfleak"
S=${CSF_BENCH_DIR:-/tmp/csfleak-bench-batch}; N=${N:-50}; VOXEL=${VOXEL:-2}; JOBS=${JOBS:-$(nproc)}
mkdir -p "$S/in"

# 10 designs, each copied to N/10 files: the cohort is N studies of realistic variety.
if [[ $(ls "$S"/in/*.nii.gz 2>/dev/null | wc -l) -ne $N ]]; then
  rm -rf "$S/in"; mkdir -p "$S/in"
  seq 0 9 | xargs -P "$JOBS" -I{} "$CSF" phantom -o "$S/in/d{}.nii.gz" --truth "$S/in/d{}.truth.json" \
    --voxel "$VOXEL" --seed {} --random --quiet
  for i in $(seq 0 $((N - 1))); do
    [[ -e "$S/in/s$i.nii.gz" ]] || cp "$S/in/d$((i % 10)).nii.gz" "$S/in/s$i.nii.gz"
    [[ -e "$S/in/s$i.truth.json" ]] || cp "$S/in/d$((i % 10)).truth.json" "$S/in/s$i.truth.json"
  done
  rm -f "$S"/in/d*.nii.gz "$S"/in/d*.truth.json
fi

sum_time() { python3 -c 'import csv,sys; print(sum(float(r["time_ms"]) for r in csv.DictReader(open(sys.argv[1]))))' "$1"; }

load=$(cut -d' ' -f1 /proc/loadavg)
rm -rf "$S/out1"
/usr/bin/time -f "%e %U %S %R" -o "$S/time1" "$CSF" batch "$S/in" -o "$S/out1" --jobs 1 --truth auto --quiet || true
read -r wall1 u1 s1 f1 < "$S/time1"; busy1=$(sum_time "$S/out1/cohort.csv")

# memory sampler: sum of VmRSS over the batch process (root) and its descendants
tree() { echo "$1"; for c in $(pgrep -P "$1" || true); do tree "$c"; done; }
sample() {
  local root=$1 peak=0
  while kill -0 "$root" 2>/dev/null; do
    local tot=0
    for p in $(tree "$root"); do
      r=$(awk '/VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0); tot=$((tot + ${r:-0}))
    done
    ((tot > peak)) && peak=$tot
    sleep 0.02
  done
  echo $peak
}
# The timed run has no memory sampler beside it: the sampler (pgrep and awk every 20 ms)
# takes a good part of a core, which on a machine with JOBS cores slows --jobs JOBS only.
rm -rf "$S/outN"
/usr/bin/time -f "%e %U %S %R" -o "$S/timeN" "$CSF" batch "$S/in" -o "$S/outN" --jobs "$JOBS" --truth auto --quiet || true
read -r wallN uN sN fN < "$S/timeN"; busyN=$(sum_time "$S/outN/cohort.csv")
# the same run again, for its memory only
rm -rf "$S/outM"
"$CSF" batch "$S/in" -o "$S/outM" --jobs "$JOBS" --truth auto --quiet & pid=$!
peak=$(sample $pid); wait $pid || true
load2=$(cut -d' ' -f1 /proc/loadavg)

# What the machine allows right now: the same analyses as plain `csfleak analyze`
# processes, 1 at a time vs JOBS at a time (no batch involved), on 20 of the studies.
mkdir -p "$S/ref"
ls "$S"/in/s*.nii.gz | head -20 > "$S/ref.list"
ref() { /usr/bin/time -f %e xargs -P "$1" -I{} sh -c '"$0" analyze "$1" --json "$2/$(basename "$1").json" --png-dir "$2" --quiet' "$CSF" {} "$S/ref" < "$S/ref.list" 2>&1 | tail -1; }
ref1=$(ref 1); refN=$(ref "$JOBS")

# one study alone (the biggest of the 10 designs) as a batch of one: peak RSS of the
# process that analyses it (analysis, PNGs and report, as in the cohort run)
one=$(ls -S "$S"/in/s?.nii.gz | head -1)
printf 'id,path\none,%s\n' "$one" > "$S/one.csv"; rm -rf "$S/one"
rss1=$( { /usr/bin/time -f %M "$CSF" batch "$S/one.csv" -o "$S/one" --jobs 1 --quiet; } 2>&1 | tail -1)

python3 - "$N" "$JOBS" "$wall1" "$busy1" "$wallN" "$peak" "$rss1" "$u1" "$s1" "$uN" "$sN" "$load" "$load2" "$busyN" "$ref1" "$refN" "$f1" "$fN" <<'EOF'
import sys
n, jobs = int(sys.argv[1]), int(sys.argv[2])
wall1, busy1, wallN, peak, rss1, u1, s1, uN, sN, load, load2, busyN, ref1, refN, f1, fN = map(float, sys.argv[3:])
single = busy1 / n / 1e3
thr = n / wallN
target = 0.9 * jobs / single
print(f"studies {n}, jobs {jobs}, cores {jobs}, load average {load:.1f} before / {load2:.1f} after")
print(f"CPU (user+sys) --jobs 1 / --jobs {jobs}      {u1+s1:8.2f} s / {uN+sN:.2f} s  (same work: ratio {(uN+sN)/(u1+s1):.2f})")
print(f"page faults per study --jobs 1 / {jobs}   {f1/n:8.0f} / {fN/n:.0f}   (sys time {s1:.2f} s / {sN:.2f} s)")
print(f"single-study time (mean, --jobs 1)   {single*1e3:8.1f} ms")
print(f"--jobs 1 wall                        {wall1:8.2f} s")
print(f"overhead per study                   {(wall1*1e3 - busy1)/n:8.1f} ms   (target <= 20)")
print(f"--jobs {jobs} wall                        {wallN:8.2f} s")
print(f"study time (mean) at --jobs {jobs}          {busyN/n:8.1f} ms   (x{busyN/busy1:.2f} the --jobs 1 time: CPU contention)")
print(f"throughput                           {thr:8.2f} studies/s")
print(f"target 0.9 x jobs / single           {target:8.2f} studies/s   ratio {thr/target*0.9:.2f} x ideal")
print(f"speed-up --jobs {jobs} vs 1: batch          {wall1/wallN:8.2f} x")
print(f"speed-up of plain analyze processes  {ref1/refN:8.2f} x   (20 studies, xargs -P {jobs} vs -P 1: what the machine gives now)")
print(f"batch speed-up / machine speed-up    {(wall1/wallN)/(ref1/refN):8.2f}")
print(f"peak RSS, whole batch tree (sum)     {peak/1024:8.1f} MB   (parent + {jobs} children; shared pages counted per process)")
print(f"peak RSS, one study alone            {rss1/1024:8.1f} MB   jobs x one = {jobs*rss1/1024:.1f} MB")
EOF
