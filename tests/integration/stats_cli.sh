#!/usr/bin/env bash
# csfleak stats: exit codes (0 ok, 1 usage, 2 bad input), error messages naming
# file and line, and JSON values checked against hand counts (tests/data/stats).
set -u
B="$1"; S="$2"; CSF="$B/csfleak"; D="$S/tests/data/stats"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
check() { # name expected_rc actual_rc
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok $1"; fi; }
has() { # name file text
  if grep -qF -- "$3" "$2"; then echo "ok $1"; else echo "FAIL $1: '$3' not in: $(cat "$2")"; fail=1; fi; }

"$CSF" stats --help >"$T/help" 2>&1; check help 0 $?
has help-usage "$T/help" "usage: csfleak stats READS.csv"
"$CSF" stats 2>/dev/null; check no-args 1 $?
"$CSF" stats "$D/reads_basic.csv" --bogus 2>/dev/null; check unknown-option 1 $?
"$CSF" stats "$D/reads_basic.csv" --truth "$D/truth_basic.csv" --reference RIC 2>/dev/null
check truth-and-reference 1 $?
"$CSF" stats "$D/reads_basic.csv" --ci normal 2>/dev/null; check bad-ci 1 $?
"$CSF" stats "$D/reads_basic.csv" --threshold x 2>/dev/null; check bad-threshold 1 $?
"$CSF" stats "$D/reads_basic.csv" --json 2>/dev/null; check json-needs-value 1 $?

for f in bad_unknown_value:3 bad_duplicate:4 bad_fields:3 bad_quote:3 bad_missing_column:1; do
  name=${f%%:*}; line=${f##*:}
  "$CSF" stats "$D/$name.csv" --json "$T/$name.json" 2>"$T/err"; check "$name" 2 $?
  has "$name-names-file-line" "$T/err" "$name.csv' line $line:"
  [[ ! -e "$T/$name.json" ]] || { echo "FAIL $name wrote JSON"; fail=1; }
done
"$CSF" stats "$D/no_such.csv" 2>"$T/err"; check missing-file 2 $?
has missing-file-named "$T/err" "no_such.csv"
"$CSF" stats "$D/reads_basic.csv" --reference NOPE 2>"$T/err"; check unknown-reference 2 $?
has unknown-reference-msg "$T/err" "no reader named 'NOPE'"
"$CSF" stats "$D/reads_basic.csv" --by-region 2>/dev/null; check by-region-without-column 2 $?

"$CSF" stats "$D/reads_basic.csv" --truth "$D/truth_basic.csv" --ci exact --json "$T/out.json" >"$T/table"
check truth-run 0 $?
has table-reader "$T/table" "A: n 10 (TP 5, FP 1, FN 0, TN 4), not read 0"
has table-undefined "$T/table" "LR+          undefined (no false positives"
# Hand counts of reads_basic.csv; exact lower bound of 5/5 is 0.025^(1/5) = 0.478176;
# Wald for 5/5 collapses to [1, 1]; RIC has no false positives: LR+ is null, not 0.
python3 - "$T/out.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["name"]: x for x in d["readers"]}
assert (r["A"]["tp"], r["A"]["fp"], r["A"]["fn"], r["A"]["tn"]) == (5, 1, 0, 4), r["A"]
assert (r["B"]["tp"], r["B"]["fp"], r["B"]["fn"], r["B"]["tn"]) == (4, 1, 1, 4), r["B"]
s = r["A"]["sensitivity"]
assert s["value"] == 1 and s["ci_wald"] == [1, 1], s
assert abs(s["ci_exact"][0] - 0.025 ** 0.2) < 1e-9, s
assert r["RIC"]["lr_positive"]["value"] is None and "undefined" in r["RIC"]["lr_positive"]
ab = [p for p in d["agreement"] if (p["a"], p["b"]) == ("A", "B")][0]
assert ab["n"] == 10 and abs(ab["observed"] - 0.4) < 1e-12, ab
assert ab["mcnemar_p"] == 1 and ab["mcnemar_b"] == 2 and ab["mcnemar_c"] == 1, ab
for k in ("kappa", "kappa_se", "kappa_ci", "weighted_kappa_linear", "weighted_kappa_quadratic"):
    assert k in ab, k
assert isinstance(d["fleiss_kappa"], float)
auc = {x["name"]: x for x in d["auc"]}
assert abs(auc["A"]["auc"] - 0.98) < 1e-12 and auc["A"]["points"][0]["threshold"] is None
print("ok json-values")
PY

"$CSF" stats "$D/reads_basic.csv" --reference RIC --threshold 2 --json "$T/ref.json" >/dev/null
check reference-run 0 $?
python3 - "$T/ref.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
names = [x["name"] for x in d["readers"]]
assert names == ["A", "B"], names          # the reference is not scored against itself
a = d["readers"][0]
assert (a["tp"], a["fp"], a["fn"], a["tn"]) == (4, 0, 1, 5), a
assert d["input"]["reference"] == "RIC" and d["input"]["threshold"] == 2
print("ok reference-json")
PY

"$CSF" stats "$D/reads_regions.csv" --by-region --truth "$D/truth_regions.csv" --quiet \
  --json "$T/reg.json" >"$T/quiet"; check by-region-run 0 $?
[[ ! -s "$T/quiet" ]] || { echo "FAIL --quiet printed"; fail=1; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); b=d["readers"][1]; assert d["input"]["units"]==6 and b["name"]=="B" and b["not_read"]==1, b; print("ok by-region-json")' "$T/reg.json" || fail=1

"$CSF" stats "$D/reads_bom_crlf.csv" >/dev/null; check bom-crlf 0 $?
exit $fail
