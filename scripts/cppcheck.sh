#!/usr/bin/env bash
# cppcheck over every C file of BUILD_DIR/compile_commands.json (library, CLI, tests,
# bench, plugin): the one command `make lint` and ctest `it_cppcheck` share.
# A finding fails. A false positive that cannot be removed by making the invariant
# explicit in the code gets an inline `// cppcheck-suppress <id>` with its reason
# (docs/quality.md); there is no suppressions file.
# Usage: scripts/cppcheck.sh [BUILD_DIR] [JOBS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}; jobs=${2:-2}
command -v cppcheck >/dev/null ||
  { echo "cppcheck: not installed (scripts/install-deps.sh --test installs it)" >&2; exit 1; }
[[ -f "$build/compile_commands.json" ]] ||
  { echo "cppcheck: no '$build/compile_commands.json' (configure with cmake first)" >&2; exit 1; }
build=$(cd "$build" && pwd)
cd "$root"
exec cppcheck --project="$build/compile_commands.json" --enable=warning,performance,portability \
  --error-exitcode=1 -q -j "$jobs" --inline-suppr --relative-paths="$root" --template='{file}:{line}: {id}: {message}'
