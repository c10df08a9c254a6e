#!/usr/bin/env bash
# csfleak evaluate matches a true cyst to a 2D finding in x and z only (the slab
# loses depth: a 2D finding's y is the slab centre), and in 3D over all three axes.
set -u
B=$1
CSF="$B/csfleak"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mkdir -p "$T/t" "$T/p2" "$T/p3"
cat >"$T/t/c1.truth.json" <<'J'
{"schema": "csfleak.truth/1", "positive": false,
 "regions": {"cervical": {"grade": 0}, "thoracic": {"grade": 0}, "lumbar": {"grade": 0}},
 "slec": {"present": false},
 "findings": [{"kind": "perineural_cyst", "region": "lumbar", "level": "S2", "side": "left",
               "center_mm": [-8.0, -30.0, -300.0], "in_fov": true}]}
J
pred() { # protocol grade
  cat <<J
{"schema": "csfleak.analysis/1", "positive": true, "input": {"protocol": "$1"},
 "regions": {"cervical": {"grade": 0}, "thoracic": {"grade": 0}, "lumbar": {"grade": $2}},
 "slec": {"present": false},
 "findings": [{"kind": "leak", "grade": $2, "region": "lumbar", "level": "S2", "side": "left",
               "center_mm": [-9.0, 16.0, -302.0]}]}
J
}
pred 2d 3 >"$T/p2/c1.json"
pred 3d 3 >"$T/p3/c1.json"
fail=0
val() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['all']['cysts_called_leaks']['$2'])" "$1"; }
"$CSF" evaluate --truth "$T/t" --pred "$T/p2" --json "$T/e2.json" >/dev/null || { echo "FAIL evaluate 2d exit"; fail=1; }
"$CSF" evaluate --truth "$T/t" --pred "$T/p3" --json "$T/e3.json" >/dev/null || { echo "FAIL evaluate 3d exit"; fail=1; }
# 2D: 46 mm apart in y, 2.2 mm in x-z: the slab's leak is the cyst called a leak
r=$(val "$T/e2.json" value)
[[ "$r" == 1 || "$r" == 1.0 ]] || { echo "FAIL 2d cyst not matched to the slab's finding: cysts_called_leaks = $r"; fail=1; }
# 3D: the same finding is 46 mm away and matches nothing
r=$(val "$T/e3.json" value)
[[ "$r" == 0 || "$r" == 0.0 ]] || { echo "FAIL 3d cyst matched across 46 mm: cysts_called_leaks = $r"; fail=1; }
exit $fail
