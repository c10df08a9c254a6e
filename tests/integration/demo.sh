#!/usr/bin/env bash
# `csfleak demo` (what `make demo` runs): phantom -> analyze -> report, paths printed.
set -u
B="$1"; CSF="$B/csfleak"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$CSF" demo -o "$T/demo" --quiet > "$T/out.txt" 2> "$T/err.txt"; rc=$?
[[ $rc -eq 0 ]] || { echo "FAIL demo exit $rc: $(cat "$T/err.txt")"; fail=1; }
for f in demo_phantom.nii.gz demo_truth.json analysis.json report.html key-images/input1_coronal_mip.png; do
  [[ -s "$T/demo/$f" ]] || { echo "FAIL demo did not write $f"; fail=1; }
done
grep -q "report: *$T/demo/report.html" "$T/out.txt" || { echo "FAIL demo does not say where the report is"; fail=1; }
grep -qi 'research use only' "$T/demo/report.html" || { echo "FAIL report lacks the research-use line"; fail=1; }
grep -q '"schema":[[:space:]]*"csfleak.analysis/1"' "$T/demo/analysis.json" || { echo "FAIL analysis schema"; fail=1; }
# the truth has a positive study: the demo must show findings, whatever their grade
grep -q '"positive":[[:space:]]*true' "$T/demo/demo_truth.json" || { echo "FAIL demo truth not positive"; fail=1; }
ls "$T/demo" | grep -q '\.tmp\.' && { echo "FAIL temp files left behind"; fail=1; }
"$CSF" demo --bogus 2>/dev/null; [[ $? -eq 1 ]] || { echo "FAIL unknown option not a usage error"; fail=1; }
[[ $fail -eq 0 ]] && echo "ok demo"
exit $fail
