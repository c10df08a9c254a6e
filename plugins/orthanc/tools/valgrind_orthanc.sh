#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later (plugins/orthanc/LICENSE)
# Memory check of the plugin inside a real Orthanc (the ASan build cannot be
# loaded into Debian's uninstrumented Orthanc, and preloading libasan into it
# hangs at start-up): Orthanc runs under valgrind memcheck with the plain
# build's plugin, analyses one small phantom series and rejects one bad
# series; exit 0 when valgrind reports no error. Slow (about a minute), so it
# is a manual check, not a ctest test.
#   bash plugins/orthanc/tools/valgrind_orthanc.sh BUILD_DIR
set -euo pipefail
B=$(cd "${1:-build}" && pwd)
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
T=$(mktemp -d /tmp/csf_vg_orthanc.XXXXXX); VP=""
trap '[[ -n "$VP" ]] && kill -KILL "$VP" 2>/dev/null; rm -rf "$T"' EXIT
read -r HTTP DICOM < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
mkdir -p "$T/good" "$T/bad"
"$B/csfleak" phantom -o "$T/ph.nii.gz" --truth "$T/t.json" --seed 11 --leak L3:right:3 --voxel 3 -q
"$B/csfleak-nii2dcm" "$T/ph.nii.gz" "$T/good" --study 1.2.3 --series 1.2.3.1
"$B/csfleak-nii2dcm" "$T/ph.nii.gz" "$T/bad" --study 1.2.3 --series 1.2.3.2 --mixed --limit 5
cat >"$T/o.json" <<JSON
{ "Name": "vg", "StorageDirectory": "$T/db", "IndexDirectory": "$T/db", "HttpPort": $HTTP,
  "DicomPort": $DICOM, "DicomAet": "VG", "Plugins": ["$B/libcsfleak-orthanc.so"], "StableAge": 2,
  "CsfLeak": { "Threads": 2 } }
JSON
valgrind --error-exitcode=9 --leak-check=no --log-file="$T/vg.log" /usr/sbin/Orthanc "$T/o.json" \
  >"$T/orthanc.log" 2>&1 & VP=$!
until curl -sf -o /dev/null "http://127.0.0.1:$HTTP/system"; do sleep 0.5; done
TCP_NODELAY=1 storescu -aec VG +sd +r 127.0.0.1 "$DICOM" "$T/good" "$T/bad"
for _ in $(seq 1 180); do
  s=$(curl -s "http://127.0.0.1:$HTTP/csfleak/status")
  grep -q '"analysed":1' <<<"$s" && grep -q '"failed":1' <<<"$s" && break; sleep 1
done
echo "$s"
kill -TERM "$VP"; rc=0; wait "$VP" || rc=$?; VP=""
grep "ERROR SUMMARY" "$T/vg.log"
[[ $rc == 0 ]] || { grep -B2 -A20 "Invalid\|uninitialised" "$T/vg.log" | head -60; exit 1; }
