#!/usr/bin/env bash
# cppcheck (scripts/cppcheck.sh, as in `make lint`) must find nothing in the tree, after
# proving on a planted file that it does report a finding and fail. The plain build runs
# it; the sanitizer build (CSF_SANITIZED=1) compiles the same sources, so it skips there.
# About 15 s on one core; clang-tidy stays in `make lint` (2.5 min on two cores).
set -euo pipefail
build=${1:?usage: cppcheck.sh BUILD_DIR SOURCE_DIR}; src=${2:?usage: cppcheck.sh BUILD_DIR SOURCE_DIR}
if [[ "${CSF_SANITIZED:-0}" == 1 ]]; then
  echo "cppcheck: skipped in the sanitizer build (the plain build's it_cppcheck covers the same sources)"
  exit 0
fi
chk="$src/scripts/cppcheck.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# planted: a read of an uninitialised variable and an out-of-bounds write
cat >"$tmp/bad.c" <<'C'
int f(int c) { int x; if (c) x = 1; return x; }
void g(void) { char b[4]; b[4] = 0; (void)b; }
C
printf '[{"directory": "%s", "command": "cc -c bad.c", "file": "%s/bad.c"}]\n' "$tmp" "$tmp" \
  >"$tmp/compile_commands.json"
set +e; out=$(bash "$chk" "$tmp" 1 2>&1); rc=$?; set -e
[[ $rc -ne 0 ]] || { echo "cppcheck: planted findings not caught:"; echo "$out"; exit 1; }
for want in 'bad.c:1: uninitvar' 'bad.c:2: arrayIndexOutOfBounds'; do
  grep -qF "$want" <<<"$out" || { echo "cppcheck: missing '$want' in:"; echo "$out"; exit 1; }
done
bash "$chk" "$build" 1
echo "cppcheck: no findings"
