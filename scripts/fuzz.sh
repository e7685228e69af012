#!/usr/bin/env bash
# Fuzzes the readers: builds the libFuzzer harnesses of tests/fuzz/ with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer (in build-fuzz/, or $FUZZ_BUILD), then runs each for SECONDS
# (default 600) on a fresh copy of its seed corpus, $FUZZ_JOBS (default 2) at a time. Prints each
# harness's executions, coverage (cov: edges, ft: features), corpus and crashes; exits 1 if any
# harness crashed, leaving the input under findings/ of the build folder. Names after SECONDS run
# only those harnesses. docs/fuzzing.md says more.
#
#   scripts/fuzz.sh [SECONDS [HARNESS...]]
set -euo pipefail
seconds=${1:-600}
cd "$(dirname "$0")/.."
root=$PWD
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
harnesses=(fuzz_scenario fuzz_libsvm fuzz_idx fuzz_email_corpus fuzz_trace)
[ $# -lt 2 ] || harnesses=("${@:2}")

# clang-14 is Debian 12's clang; libclang-rt-14-dev holds libFuzzer and the sanitizer runtimes.
bash scripts/install-deps.sh clang-14 libclang-rt-14-dev

[ -f "$build/build.ninja" ] ||
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DSGDSIM_FUZZ=ON \
    -DSGDSIM_WERROR=ON -DSGDSIM_GUI=OFF -DSGDSIM_BENCH=OFF -DBUILD_TESTING=OFF -DSGDSIM_TORCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target "${harnesses[@]}"

# A little-endian 32-bit number, as fuzz_idx's inputs begin with the image file's length.
le32() {
  local n=$1 i
  for i in 0 8 16 24; do printf "\\$(printf %03o $(((n >> i) & 255)))"; done
}

# The seed corpus of each harness: the checked-in seeds of tests/fuzz/corpus/ (minimized crashes
# among them) plus inputs made from the shipped scenarios and test fixtures.
seed() {
  local name=$1 dir=$2
  cp tests/fuzz/corpus/"$name"/* "$dir"/ 2>/dev/null || true
  case $name in
    fuzz_scenario)
      find scenarios -name '*.yaml' | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done
      ;;
    fuzz_idx)
      local set images labels
      for set in train t10k; do
        images=tests/data/fashion-mnist/$set-images-idx3-ubyte.gz
        labels=tests/data/fashion-mnist/$set-labels-idx1-ubyte.gz
        { le32 "$(stat -c %s "$images")"; cat "$images" "$labels"; } >"$dir/$set.gz.idx"
        { le32 "$(zcat "$images" | wc -c)"; zcat "$images" "$labels"; } >"$dir/$set.idx"
      done
      ;;
    fuzz_email_corpus)
      local email i=0
      for email in tests/data/spam-assassin/*/*.txt; do
        { printf '[\n  "spam/0",\n  "ham/0"\n]\n\0'; cat "$email"; } >"$dir/email$((i += 1))"
      done
      { cat tests/data/spam-assassin/file_list.json; printf '\0'; } >"$dir/file_list"
      ;;
  esac
}

# Runs one harness; its libFuzzer output goes to logs/NAME.log of the build folder.
run() {
  local name=$1
  local corpus=$build/corpus/$name findings=$build/findings/$name
  rm -rf "$corpus" "$findings"
  mkdir -p "$corpus" "$findings" "$build/logs"
  seed "$name" "$corpus"
  # Per-input limits: 30 s (a hang) and libFuzzer's 2 GB (a runaway allocation) are findings.
  "$build/fuzz/$name" -max_total_time="$seconds" -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" >"$build/logs/$name.log" 2>&1 || true
}

echo "sgdsim: fuzzing ${harnesses[*]} for $seconds s each, $jobs at a time"
for name in "${harnesses[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run "$name" &
done
wait

failed=0
for name in "${harnesses[@]}"; do
  log=$build/logs/$name.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  # libFuzzer's last status line: edges and features covered, inputs and bytes in its corpus.
  status=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 || true)
  crashes=$(find "$build/findings/$name" -type f \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  echo "$name: ${execs:-?} executions, ${status:-no status line}, $crashes crashes"
  if [ "$crashes" -gt 0 ] || [ -z "$execs" ]; then
    failed=1
    echo "  see $root/$log and $root/$build/findings/$name/"
  fi
done
exit $failed
