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

# the same series through csfleak analyze (dcm2niix conversion)
mkdir -p "$T/nii"
dcm2niix -g i -z n -f vol -o "$T/nii" -b n -w 1 -v 0 "$T/s1" >/dev/null 2>&1
best() { local b=1e9 s e; for _ in $(seq 1 "$R"); do
  s=$(now); "$@" >/dev/null 2>&1; e=$(now); b=$($PY -c "print(min($b, $e - $s))"); done; echo "$b"; }
tn=$(best "$CSF" analyze "$T/nii/vol.nii" --json "$T/a.json" --threads 2 --quiet)
td=$(best "$CSF" analyze "$T/s1" --json "$T/b.json" --threads 2 --quiet)
curl -s "$URL/csfleak/series/$sid" >"$T/plugin.json"
$PY - "$T/o.log" "$tn" "$td" "$T/plugin.json" "$T/a.json" <<'PYEOF'
import json, re, sys
runs = [tuple(map(float, m)) for m in re.findall(r"read (\d+) ms, analysis (\d+) ms of which key images \d+ ms, write (\d+) ms", open(sys.argv[1]).read())]
tn, td = float(sys.argv[2]), float(sys.argv[3])
rd, an, wr = (min(r[i] for r in runs) for i in range(3))
print(f"  plugin best of {len(runs)}: read {rd:.0f} ms + analysis {an:.0f} ms (+ write-back {wr:.0f} ms)")
print(f"  csfleak analyze vol.nii (dcm2niix output): {tn*1000:.0f} ms wall; on the DICOM directory: {td*1000:.0f} ms wall")
print(f"  ratio plugin (read + analysis) / csfleak analyze NIfTI: {(rd + an) / (tn * 1000):.2f}; / DICOM dir: {(rd + an) / (td * 1000):.2f}")
# the analysis proper (spine model + detection + JSON), from each JSON's own timing_ms
p, c = (json.load(open(f))["timing_ms"] for f in sys.argv[4:6])
pa, ca = p["total"] - p["read"], c["total"] - c["read"]
print(f"  analysis steps (timing_ms total - read): plugin {pa:.0f} ms, csfleak analyze {ca:.0f} ms, ratio {pa / ca:.2f}")
print(f"  input read: plugin {p['read']:.0f} ms (SDK fetch + decode), csfleak analyze on the NIfTI {c['read']:.0f} ms")
PYEOF
