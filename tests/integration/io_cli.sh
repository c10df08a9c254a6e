#!/usr/bin/env bash
# csfleak info / convert: output on real files, exit codes 0 / 1 / 2, error lines naming the file.
set -u
B="$1"; S="$2"; CSF="$B/csfleak"; REAL="$S/../shared/data/real"; fail=0
T=$(mktemp -d /tmp/csf_it_io.XXXXXX); trap 'rm -rf "$T"' EXIT
check() { # name expected actual
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok $1"; fi; }
has() { # name file pattern
  if grep -q -- "$3" "$2"; then echo "ok $1"; else echo "FAIL $1: '$3' not in output"; cat "$2"; fail=1; fi; }
PY=python3; [[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3

"$CSF" info --help >"$T/h" 2>&1; check help 0 $?
"$CSF" info >/dev/null 2>&1; check no-file 1 $?
"$CSF" info --bogus "$REAL/sct_t1_cervical_crop.nii.gz" >/dev/null 2>&1; check bad-option 1 $?

"$CSF" info "$REAL/sct_t2_cervicothoracic.nii.gz" >"$T/o" 2>"$T/e"; check real 0 $?
has dims "$T/o" "384 x 195 x 52"
has orient "$T/o" "orientation  PSR"
has dtype "$T/o" "int16"
has pct "$T/o" "p1 0  p50 5  p99 490"

"$CSF" info --json "$REAL/sct_t2star_axial.nii.gz" "$REAL/sct_t1_cervical_crop.nii.gz" >"$T/j"; check json 0 $?
$PY - "$T/j" <<'PYEOF' || { echo "FAIL json content"; fail=1; }
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 2, a
assert a[0]["orientation"] == "LAS" and a[0]["datatype"] == "uint8", a[0]
assert a[0]["dims"] == [320, 320, 11] and abs(a[0]["voxel_size_mm"][2] - 7.5) < 1e-3
assert a[1]["orientation"] == "RAS" and a[1]["intensity"]["max"] == 949
assert abs(a[1]["world_extent_ras_mm"]["z"][1] - 54.7) < 0.1
print("ok json content")
PYEOF

# bad input: missing, truncated gzip, not NIfTI; one line naming the file, exit 2
"$CSF" info "$T/missing.nii.gz" >/dev/null 2>"$T/e"; check missing 2 $?
has missing-names-file "$T/e" "$T/missing.nii.gz"
head -c 20000 "$REAL/sct_t2_cervical_crop.nii.gz" >"$T/cut.nii.gz"
"$CSF" info "$T/cut.nii.gz" >/dev/null 2>"$T/e"; check truncated 2 $?
has truncated-names-file "$T/e" "$T/cut.nii.gz"
[[ $(wc -l <"$T/e") == 1 ]] || { echo "FAIL error is not one line"; fail=1; }
echo "not an image" >"$T/text.nii"
"$CSF" info "$T/text.nii" >/dev/null 2>"$T/e"; check not-nifti 2 $?
has not-nifti-names-file "$T/e" "$T/text.nii"
# a good file after a bad one is still reported; the exit status says something failed
"$CSF" info "$T/text.nii" "$REAL/sct_t1_cervical_crop.nii.gz" >"$T/o" 2>/dev/null; check mixed 2 $?
has mixed-still-prints "$T/o" "42 x 76 x 77"
"$CSF" info --json "$T/text.nii" >"$T/j" 2>/dev/null; check json-bad 2 $?
$PY -c "import json,sys; a=json.load(open('$T/j')); assert 'error' in a[0]" || { echo "FAIL json error"; fail=1; }

# convert: canonical RAS, same values
"$CSF" convert "$REAL/sct_t2_cervical_crop.nii.gz" "$T/c.nii.gz"; check convert 0 $?
"$CSF" info "$T/c.nii.gz" >"$T/o" 2>&1; check convert-info 0 $?
has convert-ras "$T/o" "orientation  RAS"
has convert-dims "$T/o" "52 x 60 x 55"
has convert-pct "$T/o" "p1 0  p50 74  p99 928"
"$CSF" convert "$T/missing.nii" "$T/x.nii.gz" 2>/dev/null; check convert-missing 2 $?
exit $fail
