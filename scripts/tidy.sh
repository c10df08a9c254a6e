#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy) over the library, the CLI and the Orthanc plugin
# (src/, plugins/orthanc/*.c), using BUILD/compile_commands.json. tests/ and bench/
# are covered by cppcheck only. Any finding fails: there is no baseline. A false
# positive that cannot be removed by making the invariant explicit in the code gets
# an inline `// NOLINT(check-name): reason` (docs/quality.md).
# Usage: scripts/tidy.sh [BUILD_DIR] [JOBS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}; jobs=${2:-2}
cd "$root"
tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy) ||
  { echo "tidy: run-clang-tidy not installed (scripts/install-deps.sh --fuzz installs clang-tidy)" >&2; exit 1; }
out=$("$tidy" -p "$build" -j "$jobs" -quiet "$root/(src|plugins/orthanc/[a-z_]+\.c)" 2>/dev/null || true)
out=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out")
found=$(grep -E "^$root/[^:]+:[0-9]+:[0-9]+: (warning|error): " <<<"$out" | sed "s#^$root/##" | LC_ALL=C sort -u || true)
if [[ -n "$found" ]]; then
  echo "tidy: $(grep -c . <<<"$found") findings (each with its path notes above):"
  sed "s#$root/##" <<<"$out" | grep -E '(warning|error|note):' || true
  echo "tidy: findings:"; echo "$found"
  exit 1
fi
# run-clang-tidy prints one command line per file it checked: none checked is no pass
nfiles=$(grep -c '^clang-tidy' <<<"$out" || true)
[[ $nfiles -gt 0 ]] || { echo "tidy: no file checked (is $build/compile_commands.json there?)" >&2; exit 1; }
echo "tidy: ok ($nfiles files, no findings)"
