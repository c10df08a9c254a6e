#!/usr/bin/env python3
# Used by docs/detector-log.md (SLEC side): python3 bench/slec_side.py DIR (run_pool.sh layout)
"""slecside.py DIR: for every SLEC in DIR/truth (pooled run_pool.sh layout), the side of the predicted SLEC."""
import json, glob, os, sys, collections
d = sys.argv[1]
c = collections.Counter(); wrong = []
for t in sorted(glob.glob(d + '/truth/*.truth.json')):
    tr = json.load(open(t)); name = os.path.basename(t).replace('.truth.json', '')
    ts = [x for x in tr['findings'] if x['kind'] == 'slec' and x.get('in_fov', True)]
    if not ts: continue
    pf = d + '/pred/' + name + '.json'
    ps = []
    if os.path.exists(pf):
        ps = [x for x in json.load(open(pf)).get('findings', []) if x['kind'] == 'slec']
    for x in ts:
        if not ps: c['no slec predicted'] += 1; wrong.append((name, x['side'], None)); continue
        sides = [p['side'] for p in ps]
        ok = sides[0] == x['side']
        c['right' if ok else 'wrong'] += 1
        if not ok: wrong.append((name, x['side'], sides))
print(dict(c))
for w in wrong: print('  ', *w)
