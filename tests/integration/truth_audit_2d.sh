#!/usr/bin/env bash
# bench/truth_audit_2d.py, the 2D truth-against-image check (docs/detector-log.md,
# "session 9, branch h/s9truth"): a 2D phantom whose S2 cyst hangs partly behind the
# slab (seed 1: about a fifth of it inside, its centre behind the slab's edge) agrees
# with its truth; the same truth with the cyst marked out of the field of view, or
# with its centre moved 40 mm lateral onto empty background, must be reported.
set -u
B="$1"; S="$2"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
say() { echo "FAIL $*"; fail=1; }
PY=/usr/bin/python3
$PY -c 'import nibabel' 2>/dev/null || { echo "truth_audit_2d: needs python3-nibabel"; exit 1; }
A="$S/bench/truth_audit_2d.py"
mkdir -p "$T/ok/img" "$T/ok/truth"
"$B/csfleak" phantom --seed 1 --protocol 2d --cyst S2:left:16 --no-mimics --crop -345,-230 -q \
  -o "$T/ok/img/case_0000.nii.gz" --truth "$T/ok/truth/case_0000.truth.json" || say "phantom exit $?"
$PY "$A" "$T/ok" >"$T/ok.log" 2>&1 || say "audit of the phantom as made: exit $? ($(grep -m1 DISAGREE "$T/ok.log"))"
grep -q "perineural_cyst None True: 1, 0" "$T/ok.log" || say "the cut cyst is not counted and seen"

edit() { # DIR PYTHON-EXPR-ON-f
  mkdir -p "$T/$1/truth"; ln -s "$T/ok/img" "$T/$1/img"
  $PY - "$T/ok/truth/case_0000.truth.json" "$T/$1/truth/case_0000.truth.json" "$2" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1])); f = t['findings'][0]; exec(sys.argv[3])
json.dump(t, open(sys.argv[2], 'w'))
EOF
}
edit hidden "f['in_fov'] = False"
edit moved "f['center_mm'][0] += 40 if f['center_mm'][0] > 0 else -40"
for d in hidden moved; do
  $PY "$A" "$T/$d" >"$T/$d.log" 2>&1
  rc=$?
  [[ $rc == 1 ]] || say "$d: exit $rc, expected 1"
  grep -q "^DISAGREE .* perineural_cyst .* S2 left" "$T/$d.log" || say "$d: the cyst is not reported"
done
$PY "$A" >/dev/null 2>&1; [[ $? == 2 ]] || say "no argument: expected exit 2"
# bad input: a truncated truth JSON, a suite with no truth, a corrupt image:
# one line on stderr naming the file, exit 2
bad() { # NAME DIR FILE-NAMED
  $PY "$A" "$2" >"$T/$1.out" 2>"$T/$1.err"
  local rc=$?
  [[ $rc == 2 ]] || say "$1: exit $rc, expected 2"
  [[ $(wc -l <"$T/$1.err") == 1 ]] && grep -q "$3" "$T/$1.err" || say "$1: not a one-line error naming $3: $(head -c 300 "$T/$1.err")"
}
mkdir -p "$T/trunc/truth"; ln -s "$T/ok/img" "$T/trunc/img"
head -c 100 "$T/ok/truth/case_0000.truth.json" >"$T/trunc/truth/case_0000.truth.json"
bad trunc "$T/trunc" "trunc/truth/case_0000.truth.json"
mkdir -p "$T/empty"
bad empty "$T/empty" "empty"
mkdir -p "$T/corrupt/img"; ln -s "$T/ok/truth" "$T/corrupt/truth"
head -c 2000 "$T/ok/img/case_0000.nii.gz" >"$T/corrupt/img/case_0000.nii.gz"
bad corrupt "$T/corrupt" "corrupt/img/case_0000.nii.gz"
[[ $fail == 0 ]] && echo "truth_audit_2d: ok"
exit $fail
