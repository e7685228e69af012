#pragma once
// Evaluations of the model during a run: what each found, and the best, the last, and when a
// target loss was first reached.

#include <optional>

#include "sim/engine/time.hpp"

namespace sgdsim {

/// What one evaluation of the model found. Evaluations never advance simulated time.
struct Evaluation {
  double epoch = 0.0;       ///< Samples used by applied gradients, over the training set's size.
  double train_loss = 0.0;  ///< On the training set, or the fixed subsample the scenario names.
  double test_loss = 0.0;
  std::optional<double> test_accuracy;  ///< Classifiers only.
};

/// Keeps the last and best evaluations of a run, and when the training loss first reached a target.
class EvaluationLog {
 public:
  /// `target`: the training loss whose first attainment is timed (none: nothing timed).
  explicit EvaluationLog(std::optional<double> target = {}) : target_(target) {}

  /// Records evaluation `e` made at simulated time `t`.
  void add(SimTime t, const Evaluation& e);

  bool empty() const { return !last_; }
  const std::optional<Evaluation>& last() const { return last_; }
  double best_train_loss() const { return best_train_; }
  double best_test_loss() const { return best_test_; }
  std::optional<double> best_test_accuracy() const { return best_accuracy_; }
  std::optional<double> target() const { return target_; }
  /// When the training loss was first at or below the target.
  std::optional<SimTime> target_reached() const { return reached_; }

 private:
  std::optional<double> target_;
  std::optional<Evaluation> last_;
  double best_train_ = 0.0, best_test_ = 0.0;
  std::optional<double> best_accuracy_;
  std::optional<SimTime> reached_;
};

}  // namespace sgdsim
