#!/usr/bin/env bash
# The Orthanc plugin in a real Orthanc: a series sent over DICOM is analysed
# once stable; the result (JSON attachment, SC key images, done flag) is in the
# archive; re-analysis replaces it; a restart before StableAge loses nothing;
# bad series are reported while Orthanc keeps serving. Throw-away config, free
# ports, Orthanc stopped by pid and the temp dir removed on every exit.
set -u
B="$1"; S="$2"; CSF="$B/csfleak"; PLUGIN="$B/libcsfleak-orthanc.so"; N2D="$B/csfleak-nii2dcm"
ORTHANC=/usr/sbin/Orthanc
PY=python3; [[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
fail=0; T0=$SECONDS
ok() { echo "ok $1 [$((SECONDS - T0)) s]"; }
bad() { echo "FAIL $1"; fail=1; }

if [[ ! -f "$PLUGIN" ]]; then echo "FAIL plugin not built: $PLUGIN (orthanc-dev missing?)"; exit 1; fi
if [[ "${CSF_SANITIZED:-0}" == 1 ]] && ldd "$PLUGIN" | grep -q libasan; then
  # an ASan-instrumented .so cannot be loaded into the uninstrumented Orthanc
  echo "skipped under ASan (the plain build runs this test)"; exit 0
fi
for tool in "$ORTHANC" storescu curl "$PY"; do
  command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed (scripts/install-deps.sh --test)"; exit 1; }
done

T=$(mktemp -d /tmp/csf_it_orthanc.XXXXXX)
OPID=""
stop_orthanc() { # $1 = signal; TERM lets Orthanc flush its index (3-4 s)
  [[ -n "$OPID" ]] || return 0
  exec 3>&2 2>/dev/null # no "Killed" job notice from bash
  kill "-${1:-KILL}" "$OPID"
  for _ in $(seq 1 150); do kill -0 "$OPID" || break; sleep 0.1; done
  kill -KILL "$OPID"; wait "$OPID"; OPID=""
  exec 2>&3 3>&-
}
trap 'stop_orthanc; [[ -n "${CSF_ORTHANC_KEEP:-}" ]] && cp "$T"/*.log "$CSF_ORTHANC_KEEP"/; rm -rf "$T"' EXIT

read -r HTTP DICOM < <($PY -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
URL="http://127.0.0.1:$HTTP"
cat >"$T/orthanc.json" <<EOF
{ "Name": "csfleak-it", "StorageDirectory": "$T/db", "IndexDirectory": "$T/db",
  "HttpPort": $HTTP, "DicomPort": $DICOM, "DicomAet": "CSFIT",
  "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "HttpDescribeErrors": true,
  "StableAge": 2, "SaveJobs": false, "ConcurrentJobs": 1,
  "UserContentType": { "csfleak-json": [1024, "application/json"] },
  "UserMetadata": { "csfleak-state": 1025 },
  "Plugins": [ "$PLUGIN" ],
  "CsfLeak": { "Enabled": true, "Threads": 2, "Modalities": ["MR"],
               "SeriesFilter": "myelo|T2.*(spine|space|cube)" } }
EOF
start_orthanc() {
  TCP_NODELAY=1 "$ORTHANC" --logfile="$T/orthanc-$1.log" "$T/orthanc.json" >/dev/null 2>&1 &
  OPID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$URL/system" && return 0
    kill -0 "$OPID" 2>/dev/null || break; sleep 0.05
  done
  echo "FAIL Orthanc did not start"; cat "$T/orthanc-$1.log"; exit 1
}
get() { curl -s -o "$T/body" -w '%{http_code}' "$URL$1"; }
# series id for a SeriesInstanceUID (empty when not stored)
sid() { curl -s -X POST "$URL/tools/lookup" -d "$1" | $PY -c '
import json, sys; print(next((x["ID"] for x in json.load(sys.stdin) if x["Type"] == "Series"), ""))'; }
# waits until GET /csfleak/series/ID answers one of the codes in $2; prints the code
wait_code() {
  local code=""
  for _ in $(seq 1 "${3:-200}"); do
    code=$(get "/csfleak/series/$1"); [[ " $2 " == *" $code "* ]] && { echo "$code"; return 0; }
    sleep 0.1
  done
  echo "$code"; return 1
}
send() { TCP_NODELAY=1 storescu -aet CSFSCU -aec CSFIT +sd +r 127.0.0.1 "$DICOM" "$@" >"$T/storescu.log" 2>&1; }

# --- test data: a whole-spine phantom (1.5 mm) with a grade-3 lumbar and a grade-2
# thoracic leak; cervical is clean
STUDY=1.2.826.0.1.3680043.9.7777.77
"$CSF" phantom -o "$T/ph.nii.gz" --truth "$T/truth.json" --seed 11 --leak L3:right:3 \
  --leak T6:left:2 --voxel 1.5 --quiet || { echo "FAIL csfleak phantom"; exit 1; }
SRC="$T/ph.nii.gz"
mk() { mkdir -p "$T/$1" && "$N2D" "$SRC" "$T/$1" --study "$STUDY" --series "$STUDY.$2" "${@:3}" ||
  { echo "FAIL csfleak-nii2dcm $1"; exit 1; }; }
mk good 1
mk one 2 --limit 1 --desc "T2 SPACE spine one slice"
mk mixed 3 --limit 6 --mixed --desc "T2 SPACE spine mixed"
mk restart 4 --limit 40 --desc "myelo restart"
mk ct 5 --limit 6 --modality CT --desc "CT spine"
mk other 6 --limit 6 --desc "localizer" --protocol "scout"
mk disabled 7 --limit 30 --desc "T2 SPACE spine later"
mk j2k 8 --limit 3 --fake-j2k --desc "T2 SPACE spine j2k"

start_orthanc 1
# --- a matching series sent over DICOM is analysed once stable (the bad ones
# travel with it, so their stability clocks run in parallel)
send "$T/good" "$T/one" "$T/mixed" "$T/ct" "$T/other" || { bad "storescu"; cat "$T/storescu.log"; }
for f in "$T"/j2k/*.dcm; do # REST upload: no transfer-syntax negotiation
  curl -s -o /dev/null -X POST "$URL/instances" --data-binary @"$f"; done
t_sent=$SECONDS
GOOD=$(sid "$STUDY.1")
[[ -n "$GOOD" ]] && ok "series stored" || bad "series not stored"
c=$(get "/csfleak/series/$GOOD"); [[ "$c" == 202 || "$c" == 404 ]] && ok "before stable: $c" || bad "before stable: $c"
code=$(wait_code "$GOOD" "200 422" 150)
[[ "$code" == 200 ]] && ok "analysed ($((SECONDS - t_sent)) s after the last instance)" ||
  { bad "analysis: $code $(cat "$T/body")"; cat "$T/orthanc-1.log" | tail -20; }
cp "$T/body" "$T/result1.json"
"$CSF" info --json "$T/good" >"$T/info.json" 2>"$T/info.err" || echo "csfleak info: $(cat "$T/info.err")"
"$CSF" analyze "$T/good" --json "$T/cli.json" --quiet >/dev/null 2>"$T/cli.err" || echo "csfleak analyze: $(cat "$T/cli.err")"
$PY - "$T/result1.json" "$T/info.json" "$T/cli.json" "$T/truth.json" <<'PYEOF' && ok "result: geometry = dcm2niix, grades = truth = csfleak analyze" || bad "result JSON"
import json, sys, itertools
r = json.load(open(sys.argv[1])); info = json.load(open(sys.argv[2]))[0]
cli = json.load(open(sys.argv[3])); truth = json.load(open(sys.argv[4]))
o = r["orthanc"]
# the plugin's volume covers the same world box as dcm2niix's conversion
A, d = o["affine"], o["dim"]
pts = [[sum(A[row][c] * v for c, v in enumerate(list(ijk) + [1])) for row in range(3)]
       for ijk in itertools.product(*[(0, n - 1) for n in d])]
for ax, key in enumerate("xyz"):
    lo, hi = min(p[ax] for p in pts), max(p[ax] for p in pts)
    ref = info["world_extent_ras_mm"][key]
    assert abs(lo - ref[0]) < 0.01 and abs(hi - ref[1]) < 0.01, (key, lo, hi, ref)
assert sorted(d) == sorted(info["dims"]), (d, info["dims"])
# the plugin's contract: the same result as csfleak analyze on dcm2niix's conversion
for reg in truth["regions"]:
    assert r["regions"][reg] == cli["regions"][reg], ("plugin != cli", reg, r["regions"][reg], cli["regions"][reg])
key = lambda f: (f["kind"], f["grade"], f["level"], f["side"])
assert sorted(map(key, r["findings"])) == sorted(map(key, cli["findings"])), (r["findings"], cli["findings"])
for f, g in zip(sorted(r["findings"], key=key), sorted(cli["findings"], key=key)):
    assert all(abs(a - b) < 0.05 for a, b in zip(f["center_mm"], g["center_mm"])), (f, g)
# and the phantom's truth (a failure here with the line above passing is the detector's)
for reg, t in truth["regions"].items():
    assert r["regions"][reg]["grade"] == t["grade"], ("plugin and cli != truth", reg, r["regions"][reg], t)
print("  regions", {k: v["grade"] for k, v in r["regions"].items()}, "findings", len(r["findings"]))
PYEOF

# --- the SC key-image series: one, decodable, Secondary Capture, DERIVED\SECONDARY
# ids of the study's series whose description starts with $1
sc_series() { curl -s "$URL/studies/$(curl -s "$URL/series/$GOOD" | $PY -c 'import json,sys; print(json.load(sys.stdin)["ParentStudy"])')/series" |
  $PY -c 'import json, sys
print(" ".join(s["ID"] for s in json.load(sys.stdin) if s["MainDicomTags"].get("SeriesDescription", "").startswith(sys.argv[1])))' "${1:-csfleak key images}"; }
SC=$(sc_series); nsc=$(wc -w <<<"$SC")
[[ "$nsc" == 1 ]] && ok "one key-image series" || bad "key-image series: $nsc"
for inst in $(curl -s "$URL/series/${SC%% *}/instances" | $PY -c 'import json,sys; print(" ".join(i["ID"] for i in json.load(sys.stdin)))'); do
  curl -s "$URL/instances/$inst/preview" -o "$T/prev.png"
  [[ "$(head -c 4 "$T/prev.png" | od -An -c | tr -d ' ')" == "211PNG" ]] && ok "preview $inst decodes" || bad "preview $inst"
  cp "$T/prev.png" "$T/keyimage_${inst:0:8}.png"
  curl -s "$URL/instances/$inst/simplified-tags" | $PY -c '
import json, sys; t = json.load(sys.stdin)
assert t["SOPClassUID"] == "1.2.840.10008.5.1.4.1.1.7", t.get("SOPClassUID")
assert t["ImageType"] == "DERIVED\\SECONDARY", t.get("ImageType")
assert t["SeriesDescription"].startswith("csfleak key images"), t["SeriesDescription"]
assert t["Modality"] == "OT"' && ok "SC tags" || bad "SC tags of $inst"
done
# the Basic Text SR: one series, parsed by dcmtk's dsrdump, with the region grades
SR=$(sc_series "csfleak report"); nsr=$(wc -w <<<"$SR")
[[ "$nsr" == 1 ]] && ok "one SR series" || bad "SR series: $nsr"
sri=$(curl -s "$URL/series/${SR%% *}/instances" | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ID"])')
curl -s "$URL/instances/$sri/file" -o "$T/sr.dcm"
[[ -n "${CSF_ORTHANC_KEEP:-}" ]] && cp "$T/sr.dcm" "$CSF_ORTHANC_KEEP/"
dsrdump "$T/sr.dcm" >"$T/sr.txt" 2>&1
grep -q "Basic Text SR" "$T/sr.txt" && grep -q "lumbar region: grade 3" "$T/sr.txt" &&
  grep -q "thoracic region: grade 2" "$T/sr.txt" && ok "SR parses, grades in it" || { bad "SR content"; head -30 "$T/sr.txt"; }
# the attachment is the same valid JSON, the flag says done
curl -s "$URL/series/$GOOD/attachments/csfleak-json/data" | $PY -c 'import json,sys; json.load(sys.stdin)' &&
  ok "attachment is JSON" || bad "attachment"
[[ "$(curl -s "$URL/series/$GOOD/metadata/csfleak-state")" == done ]] && ok "done flag" || bad "done flag"

# --- re-analysis replaces: still one key-image and one SR series (same derived UIDs)
c=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/csfleak/series/$GOOD/analyze")
[[ "$c" == 202 ]] && ok "re-queue 202" || bad "re-queue: $c"
c=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/csfleak/series/nonexistent/analyze")
[[ "$c" == 404 ]] && ok "re-queue unknown 404" || bad "re-queue unknown: $c"
sleep 0.2; code=$(wait_code "$GOOD" "200 422" 150)
SC=$(sc_series); SR=$(sc_series "csfleak report")
[[ "$code" == 200 && $(wc -w <<<"$SC") == 1 && $(wc -w <<<"$SR") == 1 ]] &&
  ok "re-analysis left one key-image and one SR series" || bad "re-analysis: $code, key images: $SC, SR: $SR"

# --- bad series are reported with their reason; Orthanc keeps serving
ONE=$(sid "$STUDY.2"); MIX=$(sid "$STUDY.3"); CT=$(sid "$STUDY.5"); OTHER=$(sid "$STUDY.6")
code=$(wait_code "$ONE" 422 150); grep -q "1 instance" "$T/body" && [[ "$code" == 422 ]] &&
  ok "one-slice series: $(cat "$T/body")" || bad "one-slice: $code $(cat "$T/body")"
code=$(wait_code "$MIX" 422 150); grep -q "mixed orientations" "$T/body" && ok "mixed series: 422" ||
  bad "mixed: $code $(cat "$T/body")"
J2K=$(sid "$STUDY.8")
code=$(wait_code "$J2K" 422 150); grep -q "cannot decode its pixel data (transfer syntax 1.2.840.10008.1.2.4.90)" "$T/body" &&
  ok "undecodable JPEG 2000 series: 422, UID named" || bad "j2k: $code $(cat "$T/body")"
curl -s "$URL/series/$MIX/metadata/csfleak-state" | grep -q "^error: mixed orientations" &&
  ok "reason in the series metadata" || bad "reason metadata"
curl -s "$URL/csfleak/status" >"$T/status.json"
$PY - "$T/status.json" "$ONE" "$MIX" <<'PYEOF' && ok "status lists the errors and the version" || { bad "status"; cat "$T/status.json"; }
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] and s["failed"] >= 2 and s["analysed"] >= 2, s
ids = [e["series"] for e in s["errors"]]
assert sys.argv[2] in ids and sys.argv[3] in ids, ids
PYEOF
curl -sf -o /dev/null "$URL/system" && ok "Orthanc still serving" || bad "Orthanc down"
# non-matching series are left alone (checked once stable and the queue is idle)
idle() { for _ in $(seq 1 100); do
  curl -s "$URL/series/$1" | $PY -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["IsStable"] else 1)' &&
  curl -s "$URL/csfleak/status" | $PY -c 'import json,sys; s=json.load(sys.stdin); sys.exit(0 if not s["queued"] and s["running"] is None else 1)' &&
  return 0; sleep 0.1; done; return 1; }
idle "$OTHER" && idle "$CT" || bad "queue never idle"
c=$(get "/csfleak/series/$OTHER"); [[ "$c" == 404 ]] && ok "non-matching description not analysed" || bad "other: $c"
c=$(get "/csfleak/series/$CT"); [[ "$c" == 404 ]] && ok "CT not analysed" || bad "ct: $c"
curl -s -o /dev/null -X POST "$URL/csfleak/series/$CT/analyze"
code=$(wait_code "$CT" 422 100); grep -q "modality 'CT'" "$T/body" && ok "CT on request: 422 modality" ||
  bad "ct request: $code $(cat "$T/body")"
# our own key images were never analysed
for own in ${SC%% *} ${SR%% *}; do
  c=$(get "/csfleak/series/$own"); [[ "$c" == 404 ]] && ok "own output $own not analysed" || bad "own output: $c"
done

# --- restart before StableAge: the start-up scan finds the series
send "$T/restart"; RS=$(sid "$STUDY.4")
stop_orthanc TERM
start_orthanc 2
code=$(wait_code "$RS" "200 422" 200)
[[ "$code" == 200 ]] && ok "analysed after the restart" || bad "restart: $code $(cat "$T/body")"
if grep -q "series $RS analysed" "$T/orthanc-1.log"; then
  echo "note: the series became stable before Orthanc stopped; the start-up scan path was not exercised"
else
  grep -q "start-up scan queued [1-9]" "$T/orthanc-2.log" && grep -q "series $RS analysed" "$T/orthanc-2.log" &&
    ok "the start-up scan queued and analysed it" || bad "restart series not analysed by the start-up scan"
fi
c=$(get "/csfleak/series/$GOOD"); [[ "$c" == 200 ]] && ok "earlier result survives the restart" || bad "after restart: $c"
stop_orthanc

# --- "Enabled": false: nothing automatic, an explicit request still works
sed -i 's/"Enabled": true/"Enabled": false/' "$T/orthanc.json"
start_orthanc 3
send "$T/disabled"; DIS=$(sid "$STUDY.7")
idle "$DIS" || bad "disabled series never stable"
c=$(get "/csfleak/series/$DIS"); [[ "$c" == 404 ]] && ok "disabled: not analysed automatically" || bad "disabled: $c"
curl -s -o /dev/null -X POST "$URL/csfleak/series/$DIS/analyze"
code=$(wait_code "$DIS" "200 422" 150)
[[ "$code" == 200 ]] && ok "disabled: analysed on request" || bad "disabled request: $code $(cat "$T/body")"
stop_orthanc

# --- a broken "CsfLeak" section never takes Orthanc down: loaded disabled, reason in the status
sed -i 's/"SeriesFilter": "[^"]*"/"SeriesFilter": "(unclosed"/; s/"Enabled": false/"Enabled": true/' "$T/orthanc.json"
start_orthanc 4
curl -s "$URL/csfleak/status" | $PY -c '
import json, sys; s = json.load(sys.stdin)
assert s["enabled"] is False and "SeriesFilter" in s["config_error"], s' &&
  ok "bad configuration: Orthanc up, plugin disabled, reason in the status" || bad "bad configuration"
stop_orthanc

[[ -n "${CSF_ORTHANC_KEEP:-}" ]] && cp "$T"/keyimage_*.png "$T/result1.json" "$CSF_ORTHANC_KEEP"/ 2>/dev/null
el=$((SECONDS - T0))
[[ $el -lt 60 ]] && ok "finished in $el s" || bad "took $el s (limit 60)"
exit $fail
