#!/usr/bin/env bash
# csfleak batch --slurm on a real single-node Slurm that this test starts and stops
# itself (munge + slurmctld + slurmd from Debian's slurm-wlm, own key and socket,
# free non-default ports, a temp dir; recipe: ../shared/notes/slurm-single-node.md).
# A 20-phantom cohort in 4 shards must give the same cohort.csv as a local run
# (timing column aside). It fails loudly when Slurm cannot run here.
set -u
B="$1"; CSF="$B/csfleak"
T=$(mktemp -d /tmp/csf_slurm.XXXXXX); chmod 700 "$T"
PIDS=()
cleanup() {
  [[ -f "$T/slurm.conf" ]] && SLURM_CONF="$T/slurm.conf" timeout 5 scancel --user="$(id -un)" >/dev/null 2>&1
  for f in slurmd.pid slurmctld.pid munged.pid; do
    [[ -s "$T/$f" ]] && kill "$(cat "$T/$f")" 2>/dev/null
  done
  sleep 0.5
  for f in slurmd.pid slurmctld.pid munged.pid; do
    [[ -s "$T/$f" ]] && kill -9 "$(cat "$T/$f")" 2>/dev/null
  done
  rm -rf "$T"
}
trap cleanup EXIT
die() { echo "FAIL $*"; for l in "$T"/log/*.log "$T"/munged.log; do [[ -f $l ]] && { echo "== $l"; tail -20 "$l"; }; done; exit 1; }

for p in munged mungekey slurmctld slurmd sbatch sinfo; do
  command -v "$p" >/dev/null || die "Slurm test needs '$p' (scripts/install-deps.sh --test installs slurm-wlm munge)"
done
[[ $(id -u) -eq 0 ]] || die "Slurm test needs root to start munged and slurmd (run make test as root)"

# Two free TCP ports, chosen per run so parallel test runs never collide.
used=$(awk 'NR>1 {split($2,a,":"); print a[2]}' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
port_free() { ! grep -qx "$(printf '%04X' "$1")" <<<"$used"; }
base=$(( 20000 + (RANDOM * 7 + $$) % 30000 ))
while ! port_free $base || ! port_free $((base + 1)); do base=$((base + 2)); done

# munge with its own key and socket: nothing system-wide is touched.
mungekey -c -k "$T/munge.key" 2>/dev/null || dd if=/dev/urandom of="$T/munge.key" bs=1 count=1024 2>/dev/null
chmod 600 "$T/munge.key"
munged --force --socket="$T/munge.sock" --key-file="$T/munge.key" --pid-file="$T/munged.pid" \
  --log-file="$T/munged.log" --seed-file="$T/munged.seed" 2>/dev/null || die "munged did not start"
for _ in $(seq 50); do [[ -S "$T/munge.sock" ]] && break; sleep 0.1; done
munge -S "$T/munge.sock" -n | unmunge -S "$T/munge.sock" | grep -q 'STATUS: *Success' || die "munge round trip failed"

host=$(hostname -s); cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
mkdir -p "$T/state" "$T/spool" "$T/log"
cat > "$T/slurm.conf" <<EOF
ClusterName=csftest
SlurmctldHost=$host
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$T/munge.sock
CryptoType=crypto/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/ctld.log
SlurmdLogFile=$T/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
ReturnToService=2
SlurmUser=root
MailProg=/bin/true
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$T/slurm.conf"
slurmctld -f "$SLURM_CONF" || die "slurmctld did not start"
slurmd -f "$SLURM_CONF" || die "slurmd did not start"
state=""
for _ in $(seq 100); do
  state=$(sinfo -h -o %t 2>/dev/null | head -1)
  [[ "$state" == idle ]] && break; sleep 0.2
done
[[ "$state" == idle ]] || die "the Slurm node is '$state', not idle, after 20 s"
echo "ok slurm up (ports $base, $((base + 1)))"

# The cohort: 20 coarse phantoms (5 random designs, each as 4 files: phantom making
# is the slow part under ASan) and one corrupt file.
mkdir -p "$T/in"
seq 0 4 | xargs -P 2 -I{} "$CSF" phantom -o "$T/in/ph{}.nii.gz" --truth "$T/in/ph{}.truth.json" \
  --voxel 4 --seed {} --random --quiet || die "phantoms"
for i in $(seq 5 19); do
  cp "$T/in/ph$((i % 5)).nii.gz" "$T/in/ph$i.nii.gz"; cp "$T/in/ph$((i % 5)).truth.json" "$T/in/ph$i.truth.json"
done
head -c 2000 /dev/urandom > "$T/in/corrupt.nii.gz"

"$CSF" batch "$T/in" -o "$T/local" --jobs 2 --truth auto --quiet; rc=$?
[[ $rc -eq 4 ]] || die "local batch exit $rc, expected 4 (one corrupt study)"
"$CSF" batch "$T/in" -o "$T/sl" --slurm --shards 4 --jobs 1 --truth auto --time 10 --wait \
  --quiet; rc=$?
[[ $rc -eq 4 ]] || die "slurm batch exit $rc, expected 4 (one corrupt study)"
n=$(ls "$T"/sl/.batch/slurm-*_*.log 2>/dev/null | wc -l)
[[ $n -eq 4 ]] || die "expected 4 array task logs, found $n"
echo "ok slurm array of 4 tasks ran"

strip() { python3 -c 'import csv,sys; [print(",".join(r[:-1])) for r in csv.reader(open(sys.argv[1]))]' "$1"; }
[[ $(wc -l < "$T/sl/cohort.csv") -eq 22 ]] || die "slurm cohort.csv has $(wc -l < "$T/sl/cohort.csv") lines, expected 22"
diff <(strip "$T/local/cohort.csv") <(strip "$T/sl/cohort.csv") || die "slurm and local cohort.csv differ"
grep -q '^corrupt,failed,' "$T/sl/cohort.csv" || die "corrupt study not recorded as failed"
python3 - "$T/local/cohort.json" "$T/sl/cohort.json" <<'EOF' || die "accuracy differs between local and Slurm"
import json, sys
a, b = (json.load(open(p))["accuracy"] for p in sys.argv[1:])
assert a == b and a["studies_with_truth"] == 20, (a, b)
EOF
echo "ok slurm cohort.csv == local cohort.csv (timing aside)"

# --dry-run prints the script and submits nothing.
"$CSF" batch "$T/in" -o "$T/dry" --slurm --shards 3 --partition debug --mem 1G --account lab \
  --dry-run > "$T/dry.sh" || die "dry run"
grep -q '^#SBATCH --array=0-2$' "$T/dry.sh" && grep -q '^#SBATCH --mem=1G$' "$T/dry.sh" &&
  grep -q '^#SBATCH --account=lab$' "$T/dry.sh" && grep -q -- '--shard "$SLURM_ARRAY_TASK_ID/3"' "$T/dry.sh" ||
  die "dry-run script lacks the array, pass-through options or the shard"
[[ ! -e "$T/dry" ]] || die "dry run wrote $T/dry"
echo "ok dry-run"
exit 0
