#!/usr/bin/env bash
# csfleak dynamic: exit codes, phantom round trip, JSON keys, bad input.
set -u
B="$1"; CSF="$B/csfleak"; fail=0
T=$(mktemp -d /tmp/csf_it_dyn.XXXXXX)
trap 'rm -rf "$T"' EXIT
check() { # name expected_rc actual_rc
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok $1"; fi; }
"$CSF" dynamic --help > "$T/help" 2>&1; check help 0 $?
grep -q 'not for diagnosis' "$T/help" || { echo "FAIL help lacks research-use line"; fail=1; }
"$CSF" dynamic "$T/x.nii.gz" 2>/dev/null; check no-modality 1 $?
"$CSF" dynamic "$T/x.nii.gz" --modality xyz 2>/dev/null; check bad-modality 1 $?
"$CSF" dynamic "$T/x.nii.gz" --modality ctm --times 1,abc 2>/dev/null; check bad-times 1 $?
"$CSF" dynamic "$T/missing.nii.gz" --modality ctm 2> "$T/err"; check missing-file 2 $?
grep -q 'missing.nii.gz' "$T/err" || { echo "FAIL error does not name the file"; fail=1; }
echo "not a nifti file" > "$T/junk.nii"
"$CSF" dynamic "$T/junk.nii" --modality dsm 2> "$T/err"; check junk-file 2 $?
grep -q 'junk.nii' "$T/err" || { echo "FAIL error does not name the junk file"; fail=1; }
"$CSF" dynamic --make-phantom ctm -o "$T/ct.nii.gz" --truth "$T/ct.json" --seed 5 --kind lateral --frames 6
check phantom-ctm 0 $?
args() { /usr/bin/python3 - "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
print("--times", ",".join("%.6g" % x for x in t["dynamic"]["times"]),
      "--levels", ",".join("%s=%.3f" % kv for kv in t["levels"].items()))
PY
}
# shellcheck disable=SC2046
"$CSF" dynamic "$T/ct.nii.gz" --modality ctm $(args "$T/ct.json") --json "$T/ct.out.json" --png-dir "$T/png" --quiet
check analyze-ctm 0 $?
[[ -s "$T/png/curves.png" ]] || { echo "FAIL no curves.png"; fail=1; }
[[ -s "$T/png/key_frame.png" ]] || { echo "FAIL no key_frame.png"; fail=1; }
/usr/bin/python3 - "$T/ct.out.json" "$T/ct.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
for k in ("schema", "modality", "first_leak", "sites", "flooded", "positive", "curves"):
    assert k in r, "missing key " + k
assert r["schema"] == "csfleak.dynamic/1"
for k in ("frame", "time_s", "level", "side", "kind", "center_mm"):
    assert k in r["first_leak"], "first_leak lacks " + k
assert len(r["curves"]["extrathecal"]) == t["dynamic"]["frames"]
assert t["first_leak"]["side"] == r["first_leak"]["side"], "side differs from the truth"
print("ok json keys and side")
PY
"$CSF" dynamic --make-phantom ric -o "$T/ric.nii.gz" --truth "$T/ric.json" --seed 3 --kind random
check phantom-ric 0 $?
# shellcheck disable=SC2046
"$CSF" dynamic "$T/ric.nii.gz" --modality ric $(args "$T/ric.json") --json "$T/ric.out.json" --quiet
check analyze-ric 0 $?
/usr/bin/python3 - "$T/ric.out.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("cervical", "thoracic", "lumbar"):
    assert r["regions"][k]["grade"] in (0, 1, 2, 3)
for k in ("bladder_early", "convexity_absent_24h", "fast_clearance"):
    assert k in r["indirect"]
print("ok ric keys")
PY
# a 3-D volume is not a time series for DSM (2-D frames needed)
"$CSF" dynamic "$T/ct.nii.gz" --modality dsm 2>/dev/null; check wrong-modality 2 $?
# `phantom --dynamic` is the same code as `dynamic --make-phantom`: same bytes
"$CSF" phantom --dynamic dsm -o "$T/pd.nii.gz" --truth "$T/pd.json" --seed 7 --kind cvf --frames 4
check phantom-dynamic 0 $?
"$CSF" dynamic --make-phantom dsm -o "$T/md.nii.gz" --truth "$T/md.json" --seed 7 --kind cvf --frames 4
cmp -s "$T/pd.json" "$T/md.json" && cmp -s <(gzip -dc "$T/pd.nii.gz") <(gzip -dc "$T/md.nii.gz") \
  || { echo "FAIL phantom --dynamic differs from dynamic --make-phantom"; fail=1; }
"$CSF" phantom --dynamic xyz -o "$T/x.nii.gz" --truth "$T/x.json" 2>/dev/null; check phantom-dynamic-bad 1 $?
"$CSF" phantom --dynamic ctm --help | grep -q 'phantom --dynamic' || { echo "FAIL phantom --dynamic --help"; fail=1; }
# a sidecar JSON beside the series gives the frame times; a broken one is bad input (exit 2)
"$CSF" phantom --dynamic dsm -o "$T/sd.nii.gz" --truth "$T/sd.t.json" --seed 9 --kind none --frames 3 -q
printf '{"FrameTimesStart": [0, 0.75, 1.5]}' > "$T/sd.json"
"$CSF" dynamic "$T/sd.nii.gz" --modality dsm --json "$T/sd.out.json" --quiet; check sidecar-times 0 $?
/usr/bin/python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['curves']['time']; assert t==[0,0.75,1.5], t" \
  "$T/sd.out.json" || { echo "FAIL sidecar times not used"; fail=1; }
printf '{"FrameTimesStart": [0, 0.7' > "$T/sd.json"
"$CSF" dynamic "$T/sd.nii.gz" --modality dsm --quiet 2> "$T/err"; check sidecar-truncated 2 $?
grep -q "sd.json" "$T/err" && [[ $(wc -l < "$T/err") -eq 1 ]] || { echo "FAIL truncated sidecar message"; cat "$T/err"; fail=1; }
# the phantom writes its own frame times as that sidecar (x.json), unless the truth is there
"$CSF" phantom --dynamic ctm -o "$T/ps.nii.gz" --truth "$T/ps.t.json" --seed 5 --kind lateral -q
"$CSF" dynamic "$T/ps.nii.gz" --modality ctm --json "$T/ps.out.json" --quiet; check phantom-sidecar 0 $?
/usr/bin/python3 - "$T/ps.out.json" "$T/ps.t.json" <<'PY' || { echo "FAIL phantom sidecar times"; fail=1; }
import json, sys
a, t = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
want, got = t["dynamic"]["times"], a["curves"]["time"]
assert len(want) == len(got) and all(abs(x - y) < 1e-3 for x, y in zip(want, got)), (want, got)
assert abs(a["first_leak"]["time_s"] - t["first_leak"]["time_s"]) < 1e-3, (a["first_leak"], t["first_leak"])
PY
# without --levels the levels come from the bones (or null with a reason), reported like analyze
"$CSF" dynamic "$T/ct.nii.gz" --modality ctm --json "$T/ct.nolv.json" --quiet; check analyze-ctm-nolevels 0 $?
/usr/bin/python3 - "$T/ct.nolv.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
lv = r["levels"]
assert lv["method"] in ("bone_sacrum", "bone_ribs_t12", "bone_ribs_t1", "bone_sacrum_ribs", "none"), lv
assert isinstance(lv["reason"], str) and lv["reason"], lv
assert (lv["method"] == "none") == (len(lv["z_mm"]) == 0) == (not r["levels_known"]), lv
print("ok levels object without --levels:", lv["method"])
PY
exit $fail
