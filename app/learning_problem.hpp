#pragma once
// What a scenario that trains a model learns from: its data, split and partitioned, the
// objective, and the learner's settings; and how the model is evaluated.

#include <memory>

#include "app/scenario.hpp"
#include "models/dataset.hpp"
#include "models/objective.hpp"
#include "sim/learning/model_learner.hpp"
#include "sim/observe/evaluation.hpp"

namespace sgdsim {

/// A scenario's data: split, and dealt to the workers.
struct LearningData {
  std::shared_ptr<const Dataset> train;
  std::shared_ptr<const Dataset> test;
  std::shared_ptr<const Dataset> train_eval;  ///< What the training loss is measured on.
  /// Per worker, the rows of `train` it draws its samples from.
  std::vector<std::vector<std::size_t>> partitions;
  std::size_t classes = 2;  ///< Classes in the whole data (largest class index + 1, at least 2).
};

/// Generates or reads the scenario's data, splits and partitions it. Throws FileNotFound for a
/// missing data file and DataError ("FILE:LINE: message") for a malformed one.
LearningData load_learning_data(const Scenario& s);

/// The data and settings of a learning run.
struct LearningProblem {
  std::shared_ptr<const Dataset> train;
  std::shared_ptr<const Dataset> test;
  std::shared_ptr<const Dataset> train_eval;  ///< What the training loss is measured on.
  std::shared_ptr<const Objective> objective;
  LearningSetup setup;
};

/// The scenario's data (load_learning_data), objective and learner settings.
LearningProblem build_learning_problem(const Scenario& s);

/// Evaluates the learner's current model: training loss, test loss and (classifiers) accuracy.
Evaluation evaluate(const LearningProblem& problem, const ModelLearner& learner);

}  // namespace sgdsim
