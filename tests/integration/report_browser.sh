#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium (Debian package `chromium`,
# installed by scripts/install-deps.sh --test) loads reports and the test reads,
# through the DOM, the marker the page's own script writes on load: the verdict,
# the number of finding rows, and how many images there are and decoded
# (naturalWidth > 0). A screenshot is kept as an artefact in the build dir.
# Cases: the example analysis + a synthetic volume drawn from it (always); a
# phantom with known findings (its truth rendered as the analysis) when the build
# has `phantom`; the same phantom analysed by `csfleak analyze`, with the truth
# panel, when it also has `analyze`. Also the CLI's error contract.
set -u
B="$1"; S="$2"; CSF="$B/csfleak"; fail=0
PY=/usr/bin/python3; [[ -x $PY ]] || PY=python3
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
bad() { echo "FAIL $1"; fail=1; }
check_rc() { if [[ "$2" != "$3" ]]; then bad "$1: exit $3, expected $2"; else ok "$1"; fi; }

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$CHROME" ]]; then
  echo "FAIL chromium is not installed (bash scripts/install-deps.sh --test installs it)"; exit 1
fi
chrome() { # extra args...; never touches the network, fresh profile each run
  timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --user-data-dir="$(mktemp -d -p "$T")" "$@" 2>/dev/null
}

# the raw file is well formed: every element closed in order, ids unique
wellformed() {
  $PY - "$1" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {"meta", "img", "br", "line", "rect", "polyline"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.err = []; self.ids = set()
    def handle_starttag(self, t, a):
        i = dict(a).get("id")
        if i is not None:
            if i in self.ids: self.err.append("duplicate id %s" % i)
            self.ids.add(i)
        if t not in VOID: self.stack.append(t)
    def handle_endtag(self, t):
        if t in VOID: return
        if not self.stack or self.stack[-1] != t:
            self.err.append("</%s> at line %d closes <%s>" % (t, self.getpos()[0], self.stack[-1] if self.stack else ""))
        else: self.stack.pop()
p = P(); p.feed(open(sys.argv[1]).read()); p.close()
errs = p.err[:3] + (["unclosed %s" % p.stack] if p.stack else [])
print("\n".join("FAIL well-formed %s: %s" % (sys.argv[1], e) for e in errs) or "ok well-formed")
sys.exit(1 if errs else 0)
EOF
}

# browse NAME HTML ANALYSIS_JSON EXPECT_VERDICT_PREFIX SCREENSHOT(0|1) [PAGE_TO_LOAD]
# (PAGE_TO_LOAD: a copy of HTML with a test script added; its DOM lands in $T/NAME.dom)
browse() {
  local name=$1 html=$2 json=$3 want=$4 shot=$5 page=${6:-$2}
  wellformed "$html" || fail=1
  chrome --dump-dom "file://$page" >"$T/$name.dom"
  local marker
  marker=$(grep -o '<div id="csf-selftest"[^>]*>' "$T/$name.dom" | head -1)
  if [[ -z "$marker" ]]; then bad "$name: page script left no marker (DOM not loaded?)"; return; fi
  local nf
  nf=$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("findings", [])))' "$json")
  $PY - "$marker" "$T/$name.dom" "$nf" "$want" "$name" <<'EOF' || fail=1
import re, sys
marker, dom, nf, want, name = sys.argv[1], open(sys.argv[2]).read(), int(sys.argv[3]), sys.argv[4], sys.argv[5]
a = dict(re.findall(r'data-([a-z]+)="([^"]*)"', marker))
errs = []
if not a.get("verdict", "").startswith(want):
    errs.append("verdict %r does not start with %r" % (a.get("verdict"), want))
if int(a["rows"]) != nf:
    errs.append("%s finding rows in the DOM, the analysis has %d" % (a["rows"], nf))
rows = re.findall(r'<tr class="finding-row[^"]*" data-f="(\d+)"', dom)
if rows != [str(i) for i in range(nf)]:
    errs.append("finding rows are %r" % rows)
n, dec = int(a["images"]), int(a["decoded"])
if n == 0 or dec != n:
    errs.append("%d of %d images decoded" % (dec, n))
if re.search(r'(src|href)="(https?:|//)', dom):
    errs.append("the page references a network resource")
for e in errs:
    print("FAIL %s: %s" % (name, e))
if not errs:
    print("ok %s: verdict, %d finding rows, %d/%d images decoded" % (name, nf, dec, n))
sys.exit(1 if errs else 0)
EOF
  [[ $shot == 1 ]] || return 0
  chrome --hide-scrollbars --window-size=1280,2400 --screenshot="$B/report_browser_$name.png" \
    "file://$html" >/dev/null
  if [[ -s "$B/report_browser_$name.png" ]]; then ok "$name: screenshot $B/report_browser_$name.png"
  else bad "$name: no screenshot"; fi
}

# 1. the example analysis and a volume drawn from it (input path from the JSON)
cp "$S/tests/data/report/example_analysis.json" "$T/example.json"
$PY "$S/tests/integration/report_volume.py" "$T/example.json" "$T/example_spine.nii.gz" \
  || bad "cannot make the example volume"
(cd / && "$CSF" report "$T/example.json" --html "$T/example.html" \
  --truth "$S/tests/data/report/example_truth.json" -q)
check_rc "report example" 0 $?
size=$(stat -c %s "$T/example.html" 2>/dev/null || echo 0)
if (( size > 0 && size <= 3145728 )); then ok "example size $size bytes"; else bad "example size $size"; fi

# the page's script: a click on the last finding's row (and then on an outline of the
# first) shows that finding's detail and hides the others
last=$(( $(grep -o 'class="finding-row"' "$T/example.html" | wc -l) - 1 ))
sed "s|</body>|<script>window.addEventListener('load',function(){var r=[],q=function(){var v=[];\
document.querySelectorAll('.detail').forEach(function(d){if(!d.hidden)v.push(d.id)});return v.join(',')};\
document.querySelector('tr.finding-row[data-f=\"$last\"]').click();r.push(q());\
document.querySelector('rect.fnd[data-f=\"0\"]').dispatchEvent(new MouseEvent('click',{bubbles:true}));\
r.push(q());var m=document.createElement('div');m.id='clicktest';m.setAttribute('data-r',r.join(';'));\
document.body.appendChild(m);});</script></body>|" "$T/example.html" >"$T/click.html"
browse example "$T/example.html" "$T/example.json" "POSITIVE" 1 "$T/click.html"
got=$(grep -o '<div id="clicktest" data-r="[^"]*"' "$T/example.dom" | sed 's/.*data-r="//;s/"$//')
if [[ "$got" == "detail-$last;detail-0" ]]; then ok "click shows the chosen finding's detail"
else bad "click: visible details '$got', expected 'detail-$last;detail-0'"; fi

# 2. a phantom with known findings (a grade 3 leak, a cyst, an SLEC): its truth JSON has the
#    analysis' shape, so the report of the truth itself shows exactly the known findings on
#    the phantom's own volume (independent of the detector)
if "$CSF" phantom --help >/dev/null 2>&1; then
  if "$CSF" phantom -o "$T/ph.nii.gz" --truth "$T/ph_truth.json" --seed 7 --voxel 2 \
      --leak T6:left:3 --cyst S2:right --slec T3-T8:ventral -q >/dev/null 2>"$T/ph.err"; then
    "$CSF" report "$T/ph_truth.json" --html "$T/truth.html" --input "$T/ph.nii.gz" -q
    check_rc "report phantom truth" 0 $?
    browse truth "$T/truth.html" "$T/ph_truth.json" "POSITIVE" 0
  else
    echo "note: phantom failed ($(head -1 "$T/ph.err")); phantom cases not run"
  fi
fi

# 3. the same phantom analysed by
#    csfleak analyze, when the build has both commands; the input path comes from
#    the analysis JSON
if [[ -s "$T/ph.nii.gz" ]] && "$CSF" analyze --help >/dev/null 2>&1; then
  if "$CSF" analyze "$T/ph.nii.gz" --json "$T/ph.json" -q >/dev/null 2>>"$T/ph.err"; then
    (cd / && "$CSF" report "$T/ph.json" --html "$T/phantom.html" --truth "$T/ph_truth.json" -q)
    check_rc "report phantom" 0 $?
    browse phantom "$T/phantom.html" "$T/ph.json" "" 1
    grep -q 'id="truth-summary"' "$T/phantom.html" || bad "phantom: no truth comparison"
  else
    # making the inputs is the phantom's and the detector's business (their own tests);
    # this test judges the report, and the example case above always runs
    echo "note: analysed-phantom case not run: $(head -2 "$T/ph.err" | tr '\n' ' ')"
  fi
else
  echo "note: no phantom or no analyze in this build; analysed-phantom case not run"
fi

# 4. the CLI's error contract
"$CSF" report --help | grep -q 'not for diagnosis'; check_rc "help" 0 $?
"$CSF" report "$T/example.json" 2>/dev/null; check_rc "no --html" 1 $?
"$CSF" report "$T/example.json" --html "$T/x.html" --bogus 2>/dev/null; check_rc "unknown option" 1 $?
"$CSF" report "$T/missing.json" --html "$T/x.html" 2>"$T/err"; check_rc "missing analysis" 2 $?
grep -q "missing.json" "$T/err" || bad "missing analysis: message does not name the file"
printf '{"findings": [' >"$T/broken.json"
"$CSF" report "$T/broken.json" --html "$T/x.html" 2>"$T/err"; check_rc "broken JSON" 2 $?
grep -q "broken.json" "$T/err" || bad "broken JSON: message does not name the file"
"$CSF" report "$T/example.json" --html "$T/x.html" --input "$T/nope.nii.gz" 2>"$T/err"
check_rc "missing volume" 2 $?
grep -q "nope.nii.gz" "$T/err" || bad "missing volume: message does not name the file"
[[ -e "$T/x.html" ]] && bad "a failed run left $T/x.html"
"$CSF" report "$T/example.json" --html "$T/noimg.html" --no-images -q; check_rc "no images" 0 $?
grep -q 'No input volume' "$T/noimg.html" || bad "--no-images page lacks its note"
exit $fail
