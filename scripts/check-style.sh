#!/usr/bin/env bash
# csfleak source checker, in the spirit of curl's checksrc: the rules of
# ../shared/STYLE.md that a machine can check. Usage: scripts/check-style.sh [SOURCE_DIR]
# Exit 0 when clean, 1 on any finding that is not in scripts/style-allow.txt.
#
# Rules (each finding is printed as `path:line: rule: text`):
#   banned     sprintf vsprintf strcpy strcat strtok atoi atol atof gets rand srand,
#              anywhere in C sources of src/ include/ plugins/ (tests and bench too:
#              they are C we maintain). snprintf/strncat/strtok_r/strtol are fine.
#   lib-exit   exit/abort/_Exit in library code (src/ except src/cli/): errors are
#              returned as csf_status, the caller decides to stop.
#   lib-print  printf/puts/putchar/vprintf and fprintf/fputs/vfprintf to stdout or
#              stderr in library code: the library speaks only through csf_error and
#              the csf_exec log callback (STYLE.md "Logging/progress"), so stderr is
#              forbidden there as well.
#   size       a file in src/ include/ plugins/ over 800 lines fails; over 600 lines is
#              reported as a warning (STYLE.md: files < ~600 lines).
# Exempt from lib-exit/lib-print: src/cli/ (the program), bench/, tests/,
# plugins/orthanc/tools/ (stand-alone helper programs) and plugins/ in general for
# stderr (the Orthanc glue logs through the Orthanc SDK; printing is checked anyway).
# Comments and string literals are blanked before matching, so a message that
# mentions "atoi" is not a finding.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
allow="$root/scripts/style-allow.txt"
cd "$root"

dirs=(); for d in src include plugins tests bench fuzz; do [[ -d $d ]] && dirs+=("$d"); done
files=$(find "${dirs[@]}" -name '*.[ch]' | LC_ALL=C sort)
findings=$(perl -e '
  my @banned = qw(sprintf vsprintf strcpy strcat strtok atoi atol atof gets rand srand);
  my $ban = join("|", @banned);
  for my $f (@ARGV) {
    open(my $fh, "<", $f) or die "cannot read $f\n";
    local $/; my $src = <$fh>; close $fh;
    # blank comments and literals, keeping newlines so line numbers stay right
    $src =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27)}{
      my $m = $1; my $keep = ($m =~ /^"/) ? "\"\"" : ""; (my $n = $m) =~ s/[^\n]//g; $keep . $n }gse;
    my $lib = ($f =~ m{^src/} && $f !~ m{^src/cli/});
    my $n = 0;
    for my $line (split /\n/, $src, -1) {
      $n++;
      while ($line =~ /\b($ban)\s*\(/g) { print "$f:$n: banned: $1()\n"; }
      next unless $lib;
      if ($line =~ /\b(exit|abort|_Exit|quick_exit)\s*\(/) { print "$f:$n: lib-exit: $1()\n"; }
      if ($line =~ /\b(printf|vprintf|puts|putchar)\s*\(/) { print "$f:$n: lib-print: $1()\n"; }
      if ($line =~ /\b(fprintf|vfprintf|fputs|fputc|fwrite|putc)\s*\((?:[^;]*,)?\s*(stdout|stderr)\b/) {
        print "$f:$n: lib-print: $1($2)\n"; }
      if ($line =~ /\bperror\s*\(/) { print "$f:$n: lib-print: perror()\n"; }
    }
  }' $files)

size_warn=""
sized=(); for d in src include plugins; do [[ -d $d ]] && sized+=("$d"); done
for f in $(find "${sized[@]}" -name '*.[ch]' | LC_ALL=C sort); do
  n=$(wc -l <"$f")
  if (( n > 800 )); then findings+=$'\n'"$f:$n: size: $n lines (> 800)"
  elif (( n > 600 )); then size_warn+="$f: $n lines (> 600, split when next touched)"$'\n'; fi
done

# allowlist: `path:rule` lines (comments with #); an allowed path+rule pair silences
# every finding of that rule in that file.
fail=0
while IFS= read -r line; do
  [[ -z "$line" ]] && continue
  path=${line%%:*}; rule=$(sed -E 's/^[^:]+:[0-9]+: ([a-z-]+):.*/\1/' <<<"$line")
  if [[ -f "$allow" ]] && grep -qxF "$path:$rule" <(sed 's/#.*//; s/[[:space:]]*$//' "$allow"); then
    echo "allowed: $line"
  else
    echo "$line"; fail=1
  fi
done <<<"$findings"
[[ -n "$size_warn" ]] && printf 'warning: %s' "$size_warn"
if (( fail )); then echo "check-style: FAILED (fix, or list path:rule in scripts/style-allow.txt with a reason)" >&2; exit 1; fi
echo "check-style: ok"
