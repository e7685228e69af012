#include "sim/observe/evaluation.hpp"

#include <algorithm>

namespace sgdsim {

void EvaluationLog::add(SimTime t, const Evaluation& e) {
  best_train_ = last_ ? std::min(best_train_, e.train_loss) : e.train_loss;
  best_test_ = last_ ? std::min(best_test_, e.test_loss) : e.test_loss;
  if (e.test_accuracy)
    best_accuracy_ =
        best_accuracy_ ? std::max(*best_accuracy_, *e.test_accuracy) : *e.test_accuracy;
  if (target_ && !reached_ && e.train_loss <= *target_) reached_ = t;
  last_ = e;
}

}  // namespace sgdsim
