#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy) over the library, the CLI and the Orthanc plugin
# (src/, plugins/orthanc/*.c), using BUILD/compile_commands.json. tests/ and bench/
# are covered by cppcheck only. Findings are `path: check` lines; those listed in
# scripts/tidy-baseline.txt are known (reported to the lead, mostly analyzer false
# positives or code still being written; `path: *` covers a whole file, `dir/: *` a folder) and only new
# ones fail. A finding that
# disappears is reported so the baseline can shrink.
# Usage: scripts/tidy.sh [BUILD_DIR] [JOBS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}; jobs=${2:-2}
base="$root/scripts/tidy-baseline.txt"
cd "$root"
tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy)
out=$("$tidy" -p "$build" -j "$jobs" -quiet "$root/(src|plugins/orthanc/[a-z_]+\.c)" 2>/dev/null || true)
found=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out" |
  sed -nE "s#^$root/([^:]+):[0-9]+:[0-9]+: (warning|error): .*\[([a-zA-Z0-9.,-]+)\]\$#\1: \3#p" |
  sed 's/,-warnings-as-errors//' | LC_ALL=C sort -u)
known=$(sed 's/#.*//; /^[[:space:]]*$/d; s/[[:space:]]*$//' "$base" | LC_ALL=C sort -u)
# `path: *` entries: every finding in that file (or below that folder, for a path
# ending in /) is known: files still being written by their owners
wild=$(sed -n 's/^\([^ #]*\): \*$/\1/p' <<<"$known")
if [[ -n "$wild" ]]; then
  found=$(awk -v w="$wild" 'BEGIN { n = split(w, p, "\n") }
    { f = $1; sub(/:$/, "", f); keep = 1
      for (i = 1; i <= n; i++)
        if (f == p[i] || (substr(p[i], length(p[i])) == "/" && index(f, p[i]) == 1)) keep = 0
      if (keep) print }' <<<"$found")
  known=$(grep -v ': \*$' <<<"$known" || true)
fi
new=$(LC_ALL=C comm -23 <(echo "$found") <(echo "$known") | sed '/^$/d')
gone=$(LC_ALL=C comm -13 <(echo "$found") <(echo "$known") | sed '/^$/d')
[[ -n "$gone" ]] && { echo "tidy: fixed since the baseline (remove from scripts/tidy-baseline.txt):"; echo "$gone"; }
if [[ -n "$new" ]]; then
  echo "tidy: new findings:"; echo "$new"
  sed 's/\x1b\[[0-9;]*m//g' <<<"$out" | grep -E '(warning|error):' | grep -F -f <(cut -d: -f1 <<<"$new") || true
  exit 1
fi
echo "tidy: ok ($(grep -c . <<<"$found" || true) known findings in the baseline)"
