#!/usr/bin/env bash
# csfleak phantom / phantom-suite: exit codes, files, truth shape, orientation on disk.
set -u
B="$1"; CSF="$B/csfleak"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
check() { # name expected_rc actual_rc
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok $1"; fi; }
"$CSF" phantom --help > "$T/help" 2>&1; check help 0 $?
grep -q 'not for diagnosis' "$T/help" || { echo "FAIL help lacks research-use line"; fail=1; }
"$CSF" phantom --truth "$T/t.json" 2>/dev/null; check missing-output 1 $?
"$CSF" phantom -o "$T/a.nii.gz" --truth "$T/t.json" --leak T6:left:4 2> "$T/err"; check bad-grade 1 $?
grep -q "T6:left:4" "$T/err" || { echo "FAIL bad-grade message does not name the argument"; fail=1; }
"$CSF" phantom -o "$T/a.nii.gz" --truth "$T/t.json" --orient RRS 2>/dev/null; check bad-orient 1 $?
"$CSF" phantom -o "$T/a.nii.gz" --truth "$T/t.json" --voxel 0 2>/dev/null; check bad-voxel 1 $?
"$CSF" phantom -o "$T/nodir/a.nii.gz" --truth "$T/t.json" --crop 0,60 --voxel 3 -q 2>/dev/null
rc=$?; [[ $rc -ne 0 && $rc -ne 1 ]]; check unwritable-output 0 $?
[[ ! -e "$T/nodir" ]] || { echo "FAIL unwritable output left a directory"; fail=1; }

# a small cropped phantom with a leak, in sagittal acquisition order, with labels
"$CSF" phantom -o "$T/a.nii.gz" --truth "$T/a.json" --labels "$T/a_lab.nii.gz" --seed 4 \
  --leak T8:right:3 --orient PSR --voxel 2 --crop -20,120 -q; check phantom 0 $?
for f in a.nii.gz a.json a_lab.nii.gz; do [[ -s "$T/$f" ]] || { echo "FAIL missing $f"; fail=1; }; done
"$CSF" info "$T/a.nii.gz" > "$T/info" 2>&1
grep -q 'orientation  PSR' "$T/info" || { echo "FAIL not stored as PSR"; cat "$T/info"; fail=1; }
grep -q 'int16' "$T/info" || { echo "FAIL not int16"; fail=1; }
for key in '"schema":\s*"csfleak.truth/1"' '"positive":\s*true' '"kind":\s*"leak"' '"level":\s*"T8"' \
           '"side":\s*"right"' '"grade":\s*3' '"levels"' '"center_mm"'; do
  grep -Pq "$key" "$T/a.json" || { echo "FAIL truth lacks $key"; fail=1; }
done
# same seed, same bytes
"$CSF" phantom -o "$T/b.nii.gz" --truth "$T/b.json" --seed 4 --leak T8:right:3 --orient PSR --voxel 2 \
  --crop -20,120 -q --threads 1
cmp -s <(grep -v "\"file\"" "$T/a.json") <(grep -v "\"file\"" "$T/b.json") || { echo "FAIL truth differs between runs"; fail=1; }
cmp -s "$T/a.nii.gz" "$T/b.nii.gz" || { echo "FAIL image bytes differ between thread counts"; fail=1; }

# an oblique grid
"$CSF" phantom -o "$T/o.nii.gz" --truth "$T/o.json" --tilt 15 --voxel 3 --crop 0,90 -q; check tilt 0 $?
"$CSF" phantom -o "$T/o.nii.gz" --truth "$T/o.json" --tilt 45 2>/dev/null; check bad-tilt 1 $?

# two 2D stations
"$CSF" phantom -o "$T/c.nii.gz" --truth "$T/c.json" --protocol 2d --stations 2 -q; check 2d 0 $?
for f in c_st1.nii.gz c_st2.nii.gz; do [[ -s "$T/$f" ]] || { echo "FAIL missing $f"; fail=1; }; done
"$CSF" info "$T/c_st1.nii.gz" | grep -q '512 x 1 x 512' || { echo "FAIL 2d station dims"; fail=1; }

# a tiny suite with its manifest; 8 cases reach the 2D-protocol ones (case 3 and 7)
"$CSF" phantom-suite --count 8 --seed 3 -o "$T/suite" --voxel 4 -q; check suite 0 $?
[[ $(wc -l < "$T/suite/index.csv") -eq 9 ]] || { echo "FAIL manifest rows"; fail=1; }
grep -q ',2d,.*0.53x50.00x0.53,' "$T/suite/index.csv" || { echo "FAIL 2D rows lack the protocol grid"; fail=1; }
"$CSF" phantom-suite --count 0 -o "$T/suite" 2>/dev/null; check suite-bad-count 1 $?
exit $fail
