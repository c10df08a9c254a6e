#!/usr/bin/env bash
# csfleak sih: exit codes, JSON shape, atomic --json output, batch CSV mode.
set -u
B="$1"; S="$2"; CSF="$B/csfleak"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
check() { # name expected actual
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: got '$3', expected '$2'"; fail=1; else echo "ok $1"; fi; }
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

for sub in "" score workup report rules; do
  "$CSF" sih $sub --help >/dev/null 2>&1; check "help $sub" 0 $?
done
"$CSF" sih 2>/dev/null; check no-subcommand 1 $?
"$CSF" sih bogus 2>/dev/null; check bad-subcommand 1 $?

# score: unknowns give a range; category fixed only when both ends agree
"$CSF" sih score --pachy yes --venous yes --suprasellar 3.0 --json "$T/s.json" >/dev/null; check score-rc 0 $?
check score-schema csfleak.sih-score/1 "$(jget "$T/s.json" "d['schema']")"
check score-range "6 9 high" "$(jget "$T/s.json" "d['bern']['total_min'], d['bern']['total_max'], d['bern']['category']" | tr -d "(),'")"
check score-null-points None "$(jget "$T/s.json" "d['bern']['points']['subdural_collection']")"
"$CSF" sih score --pachy yes --json - | python3 -c "import json,sys; d=json.load(sys.stdin); assert d['bern']['category'] is None" ; check score-json-stdout 0 $?
"$CSF" sih score --pachy maybe 2>/dev/null; check score-bad-value 1 $?
"$CSF" sih score --pachy 2>/dev/null; check score-missing-value 1 $?
echo '{"pachy": true, "venous": false, "suprasellar": 5.5, "subdural": null}' > "$T/in.json"
"$CSF" sih score --input "$T/in.json" --json "$T/s2.json" >/dev/null; check score-input 0 $?
check score-input-total "2 5" "$(jget "$T/s2.json" "d['bern']['total_min'], d['bern']['total_max']" | tr -d "(),")"
echo '{"pachy": "sometimes"}' > "$T/bad.json"
"$CSF" sih score --input "$T/bad.json" 2>"$T/err"; check score-bad-input-file 2 $?
grep -q "bad.json" "$T/err"; check score-error-names-file 0 $?
"$CSF" sih score --input "$T/nope.json" 2>/dev/null; check score-missing-file 2 $?
cat > "$T/lm.json" <<'J'
{"mamillary_body":[0,0,10],"pons_top":[0,3,6],"tonsil_tip":[0,-20,-7],"basion":[0,0,0],"opisthion":[0,-40,0]}
J
"$CSF" sih score --landmarks "$T/lm.json" --json "$T/s3.json" >/dev/null; check landmarks-rc 0 $?
check landmarks-mp "mamillopontine_distance 5.0 True" "$(jget "$T/s3.json" "' '.join([d['measurements'][0]['name'], '%.1f' % d['measurements'][0]['value'], str(d['measurements'][0]['abnormal'])])")"
check landmarks-tonsil "7.0" "$(jget "$T/s3.json" "'%.1f' % d['measurements'][1]['value']")"
echo '{"pmj":[0,0,0]}' > "$T/lm2.json"
"$CSF" sih score --landmarks "$T/lm2.json" 2>/dev/null; check landmarks-incomplete 2 $?

# workup
"$CSF" sih workup --headache yes --temporal yes --other-cause-excluded yes --opening-pressure 40 \
  --pachy yes --slec yes --slec-extent C7-T9 --json "$T/w.json" >"$T/w.txt"; check workup-rc 0 $?
check workup-ichd met "$(jget "$T/w.json" "d['ichd3_7_2_3']['status']")"
check workup-next "R4 prone" "$(jget "$T/w.json" "d['next']['rule'] + ' ' + d['next']['position']")"
grep -q "SLEC C7-T9 present: prone" "$T/w.txt"; check workup-summary 0 $?
check workup-type "1a" "$(jget "$T/w.json" "d['leak_types'][0]['type']")"
"$CSF" sih workup --slec no --decub-left negative --bern 1 --json "$T/w2.json" >/dev/null
check workup-other-side R8 "$(jget "$T/w2.json" "d['next']['rule']")"
check workup-undetermined "undetermined ['A', 'B', 'C', 'D']" "$(jget "$T/w2.json" "d['ichd3_7_2_3']['status'] + ' ' + str(d['ichd3_7_2_3']['unknown'])")"
"$CSF" sih workup --headache yes --orthostatic no --cysts yes --threads 2 --json "$T/w3.json" >/dev/null; check workup-threads 0 $?
check workup-notes 2 "$(jget "$T/w3.json" "len(d['notes'])")"
"$CSF" sih workup --prone sideways 2>/dev/null; check workup-bad-dyn 1 $?
"$CSF" sih workup --slec-extent Q9-T1 2>/dev/null; check workup-bad-extent 1 $?
"$CSF" sih rules | grep -q "^| R4 |"; check rules-table 0 $?
# docs/sih.md reproduces the rule table: every row printed by the code must be in it verbatim
missing=0; while IFS= read -r row; do grep -qF -- "$row" "$S/docs/sih.md" || { echo "not in docs: $row"; missing=1; }; done < <("$CSF" sih rules)
check rules-table-in-docs 0 $missing

# report: single file, batch files, CSV, errors
printf 'No subdural collection. Diffuse pachymeningeal enhancement.\n' > "$T/r1.txt"
printf 'Tonsils descend 12 mm below the foramen magnum.' > "$T/r2.txt"
"$CSF" sih report "$T/r1.txt" --json "$T/r1.json"; check report-rc 0 $?
check report-schema csfleak.sih-report/1 "$(jget "$T/r1.json" "d['schema']")"
check report-findings "subdural_collection:absent:[3, 22] pachymeningeal_enhancement:present" \
  "$(jget "$T/r1.json" "' '.join(f['sign']+':'+f['status']+(':'+str(f['span']) if f['sign'].startswith('sub') else '') for f in d['findings'])")"
check report-bern-points "2 0" "$(jget "$T/r1.json" "d['bern']['points']['pachymeningeal_enhancement'], d['bern']['points']['subdural_collection']" | tr -d "(),")"
check report-lines 2 "$("$CSF" sih report "$T/r1.txt" "$T/r2.txt" | wc -l)"
printf 'id,text\n7,"Line one.\nMild tonsillar descent, 5 mm."\n8,"No SLEC."\n' > "$T/r.csv"
"$CSF" sih report --csv "$T/r.csv" --column text --id-column id --json "$T/out.jsonl"; check csv-rc 0 $?
check csv-lines 2 "$(wc -l < "$T/out.jsonl")"
check csv-id-value "7 5" "$(head -1 "$T/out.jsonl" | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print(d['id'], d['findings'][0]['value'])" | sed 's/\.0$//')"
"$CSF" sih report --csv "$T/r.csv" --column nope 2>"$T/err"; check csv-no-column 2 $?
grep -q "r.csv:1: no column 'nope'" "$T/err"; check csv-error-names-file 0 $?
printf 'id,text\n1,"open\n' > "$T/bad.csv"
"$CSF" sih report --csv "$T/bad.csv" --column text --json "$T/bad.jsonl" 2>"$T/err"; check csv-unterminated 2 $?
grep -q "bad.csv:2:" "$T/err"; check csv-error-line 0 $?
[[ ! -e "$T/bad.jsonl" ]]; check csv-atomic-no-output 0 $?
"$CSF" sih report "$T/missing.txt" 2>/dev/null; check report-missing-file 2 $?
"$CSF" sih report 2>/dev/null; check report-no-input 1 $?
"$CSF" sih report --csv "$T/r.csv" 2>/dev/null; check report-csv-needs-column 1 $?
exit $fail
