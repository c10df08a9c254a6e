#!/usr/bin/python3
"""Region-level changes between two prediction sets of the same phantom cases.

Usage: region_diff.py TRUTH_DIR PRED_BEFORE PRED_AFTER
Files: TRUTH_DIR/<id>.truth.json, PRED_*/<id>.json (csfleak.analysis/1). A region is
positive at grade >= 1. Prints each region whose outcome changed: FIXED (now right), BROKE
(now wrong), GRADE (grade moved, outcome the same; marked towards or away from the
truth's grade), then the totals. This is how a detector rule is judged on a held-out
pool (docs/accuracy.md, "Deciding on a rule")."""
import glob
import json
import os
import sys


def findings(pred, region):
    return [(f['kind'], f.get('level'), f.get('side'), f.get('grade'))
            for f in pred.get('findings', []) if f.get('region') == region]


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 1
    tdir, adir, bdir = argv[1:4]
    fixed = broke = towards = away = 0
    for t in sorted(glob.glob(os.path.join(tdir, '*.truth.json'))):
        cid = os.path.basename(t)[:-len('.truth.json')]
        try:
            pa = json.load(open(os.path.join(adir, cid + '.json')))
            pb = json.load(open(os.path.join(bdir, cid + '.json')))
        except (OSError, ValueError):
            continue  # a case missing on either side is not compared
        truth = json.load(open(t))
        for r in ('cervical', 'thoracic', 'lumbar'):
            tg = truth['regions'][r]['grade']
            if tg is None:
                continue
            ga = pa['regions'][r]['grade'] or 0
            gb = pb['regions'][r]['grade'] or 0
            oka = (ga >= 1) == (tg >= 1)
            okb = (gb >= 1) == (tg >= 1)
            if oka and not okb:
                broke += 1
                tag = 'BROKE'
            elif okb and not oka:
                fixed += 1
                tag = 'FIXED'
            elif ga != gb:
                better = abs(gb - tg) < abs(ga - tg)
                towards += better
                away += not better
                tag = 'GRADE+' if better else 'GRADE-'
            else:
                continue
            print(f'{tag:6} {cid} {r} truth g{tg} {findings(truth, r)} '
                  f'before {findings(pa, r)} after {findings(pb, r)}')
    print(f'fixed {fixed}  broke {broke}  grade towards truth {towards}  grade away {away}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
