#!/usr/bin/env bash
# The CLI contract: help, version, unknown commands and exit codes.
set -u
B="$1"; CSF="$B/csfleak"; fail=0
check() { # name expected_rc actual_rc
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: exit $3, expected $2"; fail=1; else echo "ok $1"; fi; }
"$CSF" --help >/tmp/csf_it_help.$$ 2>&1; check help 0 $?
grep -q 'not for diagnosis' /tmp/csf_it_help.$$ || { echo "FAIL help lacks research-use line"; fail=1; }
"$CSF" --version | grep -Eq '^csfleak [0-9]+\.[0-9]+\.[0-9]+$'; check version 0 $?
"$CSF" no-such-command 2>/dev/null; check unknown-command 1 $?
"$CSF" 2>/dev/null; check no-args 1 $?
"$CSF" demo --threads abc 2>/dev/null; check bad-threads 1 $?
rm -f /tmp/csf_it_help.$$
exit $fail
