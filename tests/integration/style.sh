#!/usr/bin/env bash
# Runs scripts/check-style.sh on the source tree, after checking on a planted tree
# that the checker does catch each rule (a checker that finds nothing proves nothing).
set -euo pipefail
src=${2:?usage: style.sh BUILD_DIR SOURCE_DIR}
chk="$src/scripts/check-style.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/src/img" "$tmp/src/cli" "$tmp/scripts"
cat >"$tmp/src/img/bad.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
/* a comment may say sprintf( and atoi( */
int f(char *b) { sprintf(b, "%d", atoi("3")); fprintf(stderr, "x"); exit(1); }
C
printf 'int g(void) { return printf("atoi(x)"); }\n' >"$tmp/src/cli/ok.c"
set +e; out=$(bash "$chk" "$tmp" 2>&1); rc=$?; set -e
[[ $rc -ne 0 ]] || { echo "style: planted violations not caught"; exit 1; }
for want in 'src/img/bad.c:4: banned: sprintf' 'src/img/bad.c:4: banned: atoi' \
            'src/img/bad.c:4: lib-print: fprintf(stderr)' 'src/img/bad.c:4: lib-exit: exit'; do
  grep -qF "$want" <<<"$out" || { echo "style: missing finding '$want' in:"; echo "$out"; exit 1; }
done
if grep -q 'src/cli/ok.c\|bad.c:3' <<<"$out"; then echo "style: false positive:"; echo "$out"; exit 1; fi
# the allowlist silences exactly the listed path:rule
printf '# test\nsrc/img/bad.c:banned\nsrc/img/bad.c:lib-print\nsrc/img/bad.c:lib-exit\n' >"$tmp/scripts/style-allow.txt"
bash "$chk" "$tmp" >/dev/null || { echo "style: allowlist not honoured"; exit 1; }

bash "$chk" "$src"
