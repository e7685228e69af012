#!/usr/bin/python3
"""Rounds of the HOGWILD! SpamAssassin comparison (BENCHMARKS.md, "HOGWILD! benchmarks").

The machine is shared and its speed changes from minute to minute, so the two sides are never
compared across minutes: each round runs, back to back, the C++ side (1 and 2 threads pinned to the processors,
`sgdsim_bench_hogwild --spam_export=DIR --reps=1`) and scikit-learn's SGDClassifier
(`sklearn_spam.py --reps 1`) on the same split, once with the features as hashed and once numbered
by frequency, and scikit-learn once more with a step so small that it updates on every sample, as
we do. A round's ratios are taken within the round; the medians of the ratios are printed at the
end. Run from the repository after building build-bench and `make data`:

    /usr/bin/python3 bench/spam_rounds.py --rounds 15
"""

import argparse
import re
import statistics
import subprocess
import sys

BENCH = "build-bench/sgdsim_bench_hogwild"
SKLEARN = "bench/sklearn_spam.py"


def run(command):
    """The output of `command`; exits with its message when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def ours(folder, order):
    """Milliseconds per epoch on 1 and 2 threads, and the 1-thread test accuracy."""
    out = run([BENCH, f"--spam_export={folder}", "--reps=1", f"--feature_order={order}"])
    ms = {int(t): float(v) for t, v in re.findall(r"threads (\d): median ([0-9.]+) ms", out)}
    accuracy = float(re.search(r"threads 1: .*test accuracy ([0-9.]+)", out).group(1))
    return ms[1], ms[2], accuracy


def sklearn(folder, eta0):
    """Milliseconds per epoch (fit / epochs) and test accuracy of SGDClassifier."""
    out = run(["/usr/bin/python3", SKLEARN, "--dir", folder, "--epochs", "10", "--alpha",
               "0.0001", "--eta0", str(eta0), "--reps", "1"])
    m = re.search(r"median ([0-9.]+) ms per epoch.*test accuracy ([0-9.]+)", out)
    return float(m.group(1)), float(m.group(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    names = ["read 1t", "read 2t", "freq 1t", "freq 2t", "skl read", "skl freq", "skl every"]
    rows = []
    print("round " + " ".join(f"{n:>9}" for n in names) + "   (ms per epoch)")
    for r in range(args.rounds):
        read1, read2, read_acc = ours("/tmp/sgdsim-spam-read", "as_read")
        freq1, freq2, freq_acc = ours("/tmp/sgdsim-spam-freq", "by_frequency")
        skl_read, skl_acc = sklearn("/tmp/sgdsim-spam-read", 0.2)
        skl_freq, _ = sklearn("/tmp/sgdsim-spam-freq", 0.2)
        skl_every, _ = sklearn("/tmp/sgdsim-spam-read", 1e-9)
        row = [read1, read2, freq1, freq2, skl_read, skl_freq, skl_every]
        rows.append((row, read_acc, freq_acc, skl_acc))
        print(f"{r:5d} " + " ".join(f"{v:9.3f}" for v in row), flush=True)

    def median_of(f):
        return statistics.median(f(row) for row, *_ in rows)

    print("\nmedians over the rounds (ms per epoch):")
    for i, name in enumerate(names):
        print(f"  {name:10s} {median_of(lambda row, i=i: row[i]):.3f}")
    print("medians of the ratios taken within each round:")
    print(f"  2 threads against 1, as hashed:        {median_of(lambda w: w[0] / w[1]):.3f}x")
    print(f"  2 threads against 1, by frequency:     {median_of(lambda w: w[2] / w[3]):.3f}x")
    print(f"  1 thread / sklearn, as hashed:          {median_of(lambda w: w[0] / w[4]):.3f}")
    print(f"  1 thread / sklearn, by frequency:       {median_of(lambda w: w[2] / w[5]):.3f}")
    print(f"  1 thread / sklearn updating every time: {median_of(lambda w: w[0] / w[6]):.3f}")
    print("test accuracy (median): ours as hashed {:.4f}, by frequency {:.4f}; sklearn {:.4f}".format(
        statistics.median(a for _, a, _, _ in rows), statistics.median(a for _, _, a, _ in rows),
        statistics.median(a for *_, a in rows)))


if __name__ == "__main__":
    main()
