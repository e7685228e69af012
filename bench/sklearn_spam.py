#!/usr/bin/python3
"""scikit-learn's side of the HOGWILD! benchmark (BENCHMARKS.md, "HOGWILD! benchmarks").

Trains SGDClassifier (hinge loss, L2, constant step) on the SpamAssassin split that
`sgdsim_bench_hogwild --spam_export=DIR` writes, for the same number of epochs as the C++ side,
and prints the time per epoch and the test accuracy. Run it with Debian's Python and
python3-sklearn:

    /usr/bin/python3 bench/sklearn_spam.py --dir DIR --epochs 10 --alpha 0.0001 --eta0 0.2

How it matches the C++ side:
  * the same rows, columns and values (the LIBSVM files are written to round-trip exactly);
  * no intercept (our linear model has none);
  * alpha = our l2: both minimise mean hinge loss + (l2 / 2) |w|^2. sklearn shrinks all of w by
    (1 - eta alpha) after every sample (in O(1), through a scale factor); our terms shrink only the
    sample's features, by eta n l2 / d_u each, which is the same shrinkage per epoch in expectation;
  * the same constant step eta0;
  * max_iter epochs with tol=None, so every run does exactly that many.
What differs: sklearn visits the samples in a fresh permutation each epoch (shuffle=True), ours
draws them with replacement; and sklearn skips the sparse update of a sample whose hinge loss is
zero, where ours still writes the regulariser's share to the sample's features.

Times: the fit of E epochs divided by E (input checks and set-up included), and the marginal
time of an epoch, (fit of E epochs - fit of 1 epoch) / (E - 1), which leaves the set-up out.
Repetitions alternate the two fits; medians are printed. With --eta0 1e-9 every sample keeps a
hinge loss, so sklearn updates on every sample as we do: a time to compare work for work (the
accuracy is then meaningless).
"""

import argparse
import statistics
import time

import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import SGDClassifier

N_FEATURES = 65536  # load_spam_assassin(folder, 65536): the columns, even where no row has one.


def fit(x, y, args, epochs, seed):
    """Trains for `epochs` epochs; returns the model and the wall seconds of fit()."""
    model = SGDClassifier(loss="hinge", penalty="l2", alpha=args.alpha, learning_rate="constant",
                          eta0=args.eta0, max_iter=epochs, tol=None, shuffle=True,
                          fit_intercept=False, random_state=seed)
    start = time.perf_counter()
    model.fit(x, y)
    return model, time.perf_counter() - start


def objective(model, x, y, alpha):
    """Mean hinge loss + (alpha / 2) |w|^2: the objective both sides minimise."""
    margins = y * model.decision_function(x)
    w = model.coef_.ravel()
    return float(np.mean(np.maximum(0.0, 1.0 - margins)) + 0.5 * alpha * w.dot(w))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True, help="folder of spam_train.svm, spam_test.svm")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--alpha", type=float, default=1e-4, help="our model.l2")
    parser.add_argument("--eta0", type=float, default=0.2, help="our constant step")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()

    x_train, y_train = load_svmlight_file(f"{args.dir}/spam_train.svm", n_features=N_FEATURES)
    x_test, y_test = load_svmlight_file(f"{args.dir}/spam_test.svm", n_features=N_FEATURES)
    print(f"train {x_train.shape[0]} rows, test {x_test.shape[0]} rows, {x_train.shape[1]} "
          f"columns, {x_train.nnz / x_train.shape[0]:.1f} non-zeros per training row "
          f"({type(x_train).__name__}, {x_train.dtype})")

    # Untimed: the first fit in a process pays for lazy imports and first touches (about 20 ms).
    fit(x_train, y_train, args, 1, args.reps)
    per_epoch, marginal, accuracy, objectives = [], [], [], []
    for rep in range(args.reps):
        _, one = fit(x_train, y_train, args, 1, rep)
        model, whole = fit(x_train, y_train, args, args.epochs, rep)
        per_epoch.append(whole / args.epochs)
        if args.epochs > 1:
            marginal.append((whole - one) / (args.epochs - 1))
        accuracy.append(model.score(x_test, y_test))
        objectives.append(objective(model, x_train, y_train, args.alpha))
        print(f"  rep {rep}: {1e3 * per_epoch[-1]:.3f} ms per epoch (fit / {args.epochs}), "
              f"1-epoch fit {1e3 * one:.3f} ms, test accuracy {accuracy[-1]:.4f}, "
              f"training objective {objectives[-1]:.5f}")
    print(f"sklearn SGDClassifier: median {1e3 * statistics.median(per_epoch):.3f} ms per epoch "
          f"(fit / {args.epochs})", end="")
    if marginal:
        print(f", marginal {1e3 * statistics.median(marginal):.3f} ms per epoch", end="")
    print(f"; test accuracy {statistics.median(accuracy):.4f} (min {min(accuracy):.4f}, "
          f"max {max(accuracy):.4f}); training objective {statistics.median(objectives):.5f}")


if __name__ == "__main__":
    main()
