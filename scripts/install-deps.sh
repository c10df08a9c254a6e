#!/usr/bin/env bash
# Installs the Debian 12 packages csfleak needs, only those missing. Idempotent.
# Usage: scripts/install-deps.sh [--test|--bench|--fuzz]   (adds what the tests / benchmarks /
# `make fuzz` and `make lint` need)
set -euo pipefail

pkgs=(build-essential cmake pkg-config libnifti2-dev libdeflate-dev zlib1g-dev libpng-dev
      libcjson-dev dcm2niix)
test_pkgs=(libcmocka-dev dcmtk python3 python3-numpy curl chromium slurm-wlm munge cppcheck)
# the reference pipelines that `make bench` races against (../shared/anchors)
bench_pkgs=(python3-numpy python3-scipy python3-skimage python3-nibabel python3-imageio
            libinsighttoolkit5-dev libfftw3-dev g++ pigz hyperfine time)
case "${1:-}" in
  --test) pkgs+=("${test_pkgs[@]}") ;;
  --bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  --fuzz) pkgs+=("${test_pkgs[@]}" clang cppcheck clang-tidy) ;;
esac
# Optional front-ends: built and tested when their packages can be had.
pkgs+=(orthanc orthanc-dev)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps package post-install scripts from starting services (orthanc)
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
