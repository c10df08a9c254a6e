#!/usr/bin/env bash
# Orthanc plugin timings (not a test):
#  1. latency: last instance stored (storescu returns) -> result readable at
#     GET /csfleak/series/{id}, for a 300-slice series (target <= StableAge + 2 s);
#  2. the plugin's own read + analysis time (from its log line) against
#     `csfleak analyze` on the dcm2niix conversion of the same series (NIfTI
#     input, and the DICOM directory that csfleak converts itself).
#   bash bench/bench_orthanc.sh BUILD_DIR   (env: CSF_BENCH_REPS=3, CSF_ORTHANC_STABLE_AGE=2)
set -euo pipefail
B=$(cd "${1:-build}" && pwd); CSF="$B/csfleak"; PLUGIN="$B/libcsfleak-orthanc.so"
R=${CSF_BENCH_REPS:-3}; AGE=${CSF_ORTHANC_STABLE_AGE:-2}
PY=python3; [[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
[[ -f "$PLUGIN" ]] || { echo "bench_orthanc: $PLUGIN not built" >&2; exit 1; }
T=$(mktemp -d /tmp/csf_bench_orthanc.XXXXXX); OPID=""
trap '[[ -n "$OPID" ]] && kill -TERM "$OPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
now() { date +%s.%N; }

# 300 axial slices of a whole-spine phantom at 1 mm (220 x 191 pixels each)
"$CSF" phantom -o "$T/ph.nii.gz" --truth "$T/truth.json" --seed 11 --leak L3:right:3 \
  --leak T6:left:2 --crop -250,50 -q
STUDY=1.2.826.0.1.3680043.9.7777.88
for r in $(seq 1 "$R"); do
  mkdir -p "$T/s$r"
  "$B/csfleak-nii2dcm" "$T/ph.nii.gz" "$T/s$r" --study "$STUDY" --series "$STUDY.$r" --orient ax
done
nsl=$(ls "$T/s1" | wc -l)

read -r HTTP DICOM < <($PY -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
URL="http://127.0.0.1:$HTTP"
cat >"$T/orthanc.json" <<EOF
{ "Name": "csfleak-bench", "StorageDirectory": "$T/db", "IndexDirectory": "$T/db",
  "HttpPort": $HTTP, "DicomPort": $DICOM, "DicomAet": "CSFBENCH", "RemoteAccessAllowed": false,
  "StableAge": $AGE, "SaveJobs": false, "Plugins": [ "$PLUGIN" ],
  "CsfLeak": { "Threads": 2 } }
EOF
TCP_NODELAY=1 /usr/sbin/Orthanc --logfile="$T/o.log" "$T/orthanc.json" >/dev/null 2>&1 & OPID=$!
until curl -sf -o /dev/null "$URL/system"; do sleep 0.05; done

echo "Orthanc plugin, $nsl-slice series ($(ls "$T/s1" | head -1 | xargs -I{} du -k "$T/s1/{}" | cut -f1) kB per instance), StableAge $AGE s, $(nproc) cores"
for r in $(seq 1 "$R"); do
  t0=$(now)
  TCP_NODELAY=1 storescu -aet B -aec CSFBENCH +sd +r 127.0.0.1 "$DICOM" "$T/s$r" >/dev/null 2>&1
  t1=$(now)
  sid=$(curl -s -X POST "$URL/tools/lookup" -d "$STUDY.$r" | $PY -c 'import json,sys; print([x["ID"] for x in json.load(sys.stdin) if x["Type"]=="Series"][0])')
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/csfleak/series/$sid") == 200 ]]; do sleep 0.02; done
  t2=$(now)
  line=$(grep "series $sid analysed" "$T/o.log" | tail -1 | sed 's/.*(read/(read/')
  $PY -c "print(f'  run $r: store {$t1-$t0:.2f} s, last instance -> result {$t2-$t1:.2f} s (StableAge + {$t2-$t1-$AGE:.2f} s), plugin $line')"
done

# the same series through csfleak analyze (dcm2niix conversion), interleaved with
# re-analyses in the plugin so both see the same machine load
mkdir -p "$T/nii"
dcm2niix -g i -z n -f vol -o "$T/nii" -b n -w 1 -v 0 "$T/s1" >/dev/null 2>&1
sid=$(curl -s -X POST "$URL/tools/lookup" -d "$STUDY.1" | $PY -c 'import json,sys; print([x["ID"] for x in json.load(sys.stdin) if x["Type"]=="Series"][0])')
for r in $(seq 1 "$R"); do
  curl -s -o /dev/null -X POST "$URL/csfleak/series/$sid/analyze"
  until [[ $(curl -s -o "$T/p$r.json" -w '%{http_code}' "$URL/csfleak/series/$sid") == 200 ]]; do sleep 0.02; done
  s0=$(now); "$CSF" analyze "$T/nii/vol.nii" --json "$T/c$r.json" --threads 2 --quiet >/dev/null; s1=$(now)
  "$CSF" analyze "$T/s1" --json "$T/d$r.json" --threads 2 --quiet >/dev/null; s2=$(now)
  echo "$s0 $s1 $s2" >>"$T/cli_times"
done
$PY - "$T" "$R" <<'PYEOF'
import json, re, sys
T, R = sys.argv[1], int(sys.argv[2])
log = open(f"{T}/o.log").read()
runs = [tuple(map(float, m)) for m in re.findall(r"read (\d+) ms, analysis (\d+) ms of which key images (\d+) ms, write (\d+) ms", log)]
rd, an, ki, wr = (min(r[i] for r in runs) for i in range(4))
print(f"  plugin, best of {len(runs)} runs: read {rd:.0f} ms, analysis {an:.0f} ms (key images {ki:.0f} ms), write-back {wr:.0f} ms")
steps = lambda j: j["timing_ms"]["total"] - j["timing_ms"]["read"]
pa = min(steps(json.load(open(f"{T}/p{r}.json"))) for r in range(1, R + 1))
ca = min(steps(json.load(open(f"{T}/c{r}.json"))) for r in range(1, R + 1))
t = [tuple(map(float, l.split())) for l in open(f"{T}/cli_times")]
tn, td = min(b - a for a, b, c in t), min(c - b for a, b, c in t)
print(f"  analysis steps (timing_ms total - read, best of {R}): plugin {pa:.0f} ms, csfleak analyze {ca:.0f} ms, ratio {pa / ca:.2f}")
print(f"  csfleak analyze wall: vol.nii (dcm2niix output) {tn * 1000:.0f} ms, DICOM directory (runs dcm2niix) {td * 1000:.0f} ms")
print(f"  plugin read + analysis steps {rd + pa:.0f} ms vs csfleak analyze on the DICOM directory {td * 1000:.0f} ms: ratio {(rd + pa) / (td * 1000):.2f}")
PYEOF
