#!/usr/bin/env bash
# Installs what onex needs to build and test on Debian 12, as root. Idempotent: installs only
# the packages that are missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build lld ccache pkg-config curl ca-certificates
  libboost1.81-dev nlohmann-json3-dev librocksdb-dev libfmt-dev doctest-dev
  libssl-dev libhowardhinnant-date-dev libsimdjson-dev libsodium-dev
  libcairo2-dev fonts-dejavu-core libxml2-dev
  libzip-dev libstb-dev
  libcsv-dev
  libxlsxwriter-dev python3-openpyxl
  wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
