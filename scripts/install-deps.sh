#!/usr/bin/env bash
# Installs the exact Debian 12 packages sgdsim builds with, and any more named as arguments (such as
# scripts/fuzz.sh's clang), skipping those already present. Run as root or with sudo available;
# prints what it installs.
set -euo pipefail

packages=(
  cmake ninja-build g++ make pkgconf
  libboost-graph-dev libboost-random-dev libeigen3-dev libyaml-cpp-dev
  catch2 libcli11-dev libfmt-dev nlohmann-json3-dev libbenchmark-dev zlib1g-dev
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev fonts-dejavu-core
  libtorch-dev python3-torch
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "sgdsim: installing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
