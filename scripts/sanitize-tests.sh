#!/usr/bin/env bash
# Builds the core and the tests under AddressSanitizer and UndefinedBehaviorSanitizer (the asan
# preset of CMakePresets.json) in build-asan, or in the folder given as $1, and runs the whole test
# suite there. A sanitizer report aborts the test that triggered it, so any report fails the
# script. Tests on real datasets read them from $SGDSIM_DATA or .cache/data, as in `make test`.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(realpath -m "${1:-$repo/build-asan}")"
jobs="${JOBS:-2}"

cd "$repo"
cmake --preset asan -B "$build"
cmake --build "$build" -j "$jobs"

# LeakSanitizer stops with a fatal error where it cannot attach to the process (under ptrace, in
# some containers); then leaks go unchecked rather than every test failing. Any other failure of
# the probe is left to the tests to report.
leaks=1
if ! ASAN_OPTIONS=detect_leaks=1 "$build/sgdsim" --help >/dev/null 2>"$build/lsan-probe.txt" &&
  grep -q "LeakSanitizer has encountered a fatal error" "$build/lsan-probe.txt"; then
  echo "sgdsim: LeakSanitizer does not work here; leaks are not checked" >&2
  leaks=0
fi

# UBSan's checks already abort (-fno-sanitize-recover=all); these options add the stacks, and
# make ASan check stack use after return and the order of static initialisation too.
export ASAN_OPTIONS="detect_leaks=$leaks:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
cd "$build"
ctest --output-on-failure -j "$jobs"
