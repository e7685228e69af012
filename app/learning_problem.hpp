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

/// The data and settings of a learning run.
struct LearningProblem {
  std::shared_ptr<const Dataset> train;
  std::shared_ptr<const Dataset> test;
  std::shared_ptr<const Dataset> train_eval;  ///< What the training loss is measured on.
  std::shared_ptr<const Objective> objective;
  LearningSetup setup;
};

/// Generates or reads the scenario's data, splits and partitions it. Throws FileNotFound for a
/// missing data file and DataError ("FILE:LINE: message") for a malformed one.
LearningProblem build_learning_problem(const Scenario& s);

/// Evaluates the learner's current model: training loss, test loss and (classifiers) accuracy.
Evaluation evaluate(const LearningProblem& problem, const ModelLearner& learner);

}  // namespace sgdsim
