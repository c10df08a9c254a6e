#!/usr/bin/env bash
# bench/robustness.sh refuses what it cannot run, with one line naming the problem and
# exit 1, before generating anything: an unknown protocol, and a work directory whose
# kept phantoms are of the other protocol (they would be reused as if they were not).
set -u
B="$1"; S="$2"; fail=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
say() { echo "FAIL $*"; fail=1; }

CSF_ROB_PROTOCOL=4d CSF_ROB_DIR="$T/a" bash "$S/bench/robustness.sh" "$B" >"$T/out" 2>"$T/err"
rc=$?
[[ $rc == 1 ]] || say "unknown protocol: exit $rc"
[[ $(wc -l <"$T/err") == 1 ]] && grep -q "CSF_ROB_PROTOCOL must be 2d or 3d, not '4d'" "$T/err" ||
  say "unknown protocol: $(cat "$T/err")"
[[ -e "$T/a" ]] && say "unknown protocol: the work directory was created"

mkdir -p "$T/b/src" && echo 2d >"$T/b/src/protocol"
CSF_ROB_COUNT=1 CSF_ROB_DIR="$T/b" bash "$S/bench/robustness.sh" "$B" >"$T/out" 2>"$T/err"
rc=$?
[[ $rc == 1 ]] || say "mixed protocols: exit $rc"
[[ $(wc -l <"$T/err") == 1 ]] && grep -q "$T/b holds 2d phantoms, not 3d" "$T/err" ||
  say "mixed protocols: $(cat "$T/err")"
[[ $(ls "$T/b/src") == protocol && $(cat "$T/b/src/protocol") == 2d ]] ||
  say "mixed protocols: the work directory was touched"
exit $fail
