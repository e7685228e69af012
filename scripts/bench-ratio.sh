#!/usr/bin/env bash
# Compares two builds of a Google Benchmark binary on a shared, noisy machine: runs them in
# interleaved pairs (old, new, old, new, ...) so that both see the same load, each run the median
# of REPS repetitions, and prints for each benchmark the median of the per-pair ratios new/old of
# items per second (above 1: the new build is faster).
#
#   scripts/bench-ratio.sh OLD_BINARY NEW_BINARY [FILTER] [PAIRS] [REPS]
#   scripts/bench-ratio.sh /work/old/build/sgdsim_bench_engine build/sgdsim_bench_engine TimingOnly 6
set -euo pipefail
old=$1 new=$2 filter=${3:-.} pairs=${4:-6} reps=${5:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each benchmark on its own, old then new, so the two runs of a pair are seconds apart.
mapfile -t names < <("$new" --benchmark_list_tests --benchmark_filter="$filter")
for ((i = 0; i < pairs; ++i)); do
  for name in "${names[@]}"; do
    for side in old new; do
      binary=$old
      [[ $side == new ]] && binary=$new
      "$binary" --benchmark_filter="^${name}\$" --benchmark_format=csv \
        --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true 2>/dev/null |
        awk -F, -v side=$side -v pair=$i -v name="$name" \
          '$1 ~ /_median"$/ { print name "," side "," pair "," $7 }' \
          >>"$work/rates.csv"
    done
  done
done

# Per benchmark and pair, new/old; then the median over pairs.
python3 - "$work/rates.csv" <<'EOF'
import csv, statistics, sys
rates = {}
for name, side, pair, rate in csv.reader(open(sys.argv[1])):
    rates.setdefault(name.strip('"'), {}).setdefault(int(pair), {})[side] = float(rate)
print(f"{'benchmark':40} {'pairs':>5} {'median new/old':>15} {'min':>6} {'max':>6}")
for name, by_pair in rates.items():
    ratios = [p["new"] / p["old"] for p in by_pair.values() if "old" in p and "new" in p]
    print(f"{name:40} {len(ratios):5} {statistics.median(ratios):15.3f} "
          f"{min(ratios):6.3f} {max(ratios):6.3f}")
EOF
