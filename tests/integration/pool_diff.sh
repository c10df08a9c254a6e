#!/usr/bin/env bash
# bench/pool.sh and bench/region_diff.py, the tools a detector rule is judged with
# (docs/accuracy.md, "Deciding on a rule"): a four-case 2D suite kept by bench/accuracy.sh,
# re-analysed by the same binary (nothing may change); then region_diff.py on predictions
# written from the truth, with known edits, must report exactly those edits.
set -u
B="$1"; S="$2"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
say() { echo "FAIL $*"; fail=1; }
CSF_BENCH_COUNT=16 CSF_BENCH_ONLY=2d CSF_BENCH_SEED=4242 CSF_BENCH_NO_DYNAMIC=1 CSF_BENCH_KEEP=1 \
  CSF_BENCH_DIR="$T/suite" CSF_BENCH_JOBS=1 bash "$S/bench/accuracy.sh" "$B" >"$T/acc.log" 2>&1
[[ $(ls "$T"/suite/pred/case_*.json 2>/dev/null | wc -l) == 4 ]] || say "suite: expected 4 predictions"

bash "$S/bench/pool.sh" "$B/csfleak" "$T/out" 2d "$T/suite" >"$T/pool.log" 2>&1 || say "pool.sh exit $?"
grep -q "this binary (4 cases)" "$T/pool.log" || say "pool.sh: not 4 cases"
grep -q "^fixed 0  broke 0  grade towards truth 0  grade away 0$" "$T/pool.log" || say "same binary changed a region"
[[ $(ls "$T"/out/pred/suite_case_*.json | wc -l) == 4 ]] || say "pool.sh: predictions not named suite_case"

# Predictions written from the truth: "perfect" (every region at its truth grade) and
# "edit" (the first truth-positive region at 0, the first negative one at 2, the second
# positive one moved one grade away from the truth, staying >= 1).
python3 - "$T/out" <<'PY' || say "no positive and negative regions to edit in the suite"
import glob, json, os, sys
o = sys.argv[1]; pos = []; neg = None
for d in ('perfect', 'edit'): os.makedirs(f'{o}/{d}', exist_ok=True)
for t in sorted(glob.glob(o + '/truth/*.truth.json')):
    cid = os.path.basename(t)[:-len('.truth.json')]
    tr = json.load(open(t)); p = json.load(open(f'{o}/pred/{cid}.json')); q = json.loads(json.dumps(p))
    for r in ('cervical', 'thoracic', 'lumbar'):
        tg = tr['regions'][r]['grade']
        p['regions'][r]['grade'] = tg; g = tg
        if tg is None: pass
        elif tg >= 1 and len(pos) == 0: g = 0; pos.append(r)
        elif tg >= 1 and len(pos) == 1: g = tg + 1 if tg < 3 else 1; pos.append(r)
        elif tg == 0 and neg is None: g = 2; neg = r
        q['regions'][r]['grade'] = g
    json.dump(p, open(f'{o}/perfect/{cid}.json', 'w')); json.dump(q, open(f'{o}/edit/{cid}.json', 'w'))
sys.exit(0 if len(pos) == 2 and neg else 1)
PY
R() { python3 "$S/bench/region_diff.py" "$T/out/truth" "$T/out/$1" "$T/out/$2"; }
R edit perfect | tail -1 | grep -qx "fixed 2  broke 0  grade towards truth 1  grade away 0" || say "edit -> perfect: $(R edit perfect | tail -1)"
R perfect edit | tail -1 | grep -qx "fixed 0  broke 2  grade towards truth 0  grade away 1" || say "perfect -> edit: $(R perfect edit | tail -1)"
[[ $(R edit perfect | grep -c '^FIXED') == 2 && $(R edit perfect | grep -c '^GRADE+') == 1 ]] || say "edit -> perfect: lines"
R pred pred | tail -1 | grep -qx "fixed 0  broke 0  grade towards truth 0  grade away 0" || say "identical sets differ"
python3 "$S/bench/region_diff.py" 2>/dev/null; [[ $? == 1 ]] || say "usage exit"
bash "$S/bench/pool.sh" "$B/csfleak" "$T/x" 4d "$T/suite" 2>/dev/null; [[ $? == 1 ]] || say "bad protocol accepted"
bash "$S/bench/pool.sh" "$B/csfleak" "$T/x" 2d "$T/nothing" 2>/dev/null; [[ $? == 1 ]] || say "missing suite accepted"
[[ $fail == 0 ]] && echo "ok pool_diff"
exit $fail
