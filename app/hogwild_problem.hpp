#pragma once
// What a HOGWILD! scenario learns from: its data as sparse objectives (one term per sample or
// rating), the cores' shares of the terms, and the sparsity of the problem.

#include <memory>
#include <span>
#include <vector>

#include "app/scenario.hpp"
#include "models/sparse_objective.hpp"
#include "models/sparsity.hpp"
#include "sim/observe/evaluation.hpp"

namespace sgdsim {

/// The data and settings of a HOGWILD! run, for either backend.
struct HogwildProblem {
  std::shared_ptr<const SparseObjective> train;
  std::shared_ptr<const SparseObjective> train_eval;  ///< What the training loss is measured on.
  std::shared_ptr<const SparseObjective> test;
  std::vector<double> initial;                       ///< The parameters at the start.
  std::vector<std::vector<std::size_t>> partitions;  ///< Per core, the terms it samples.
  SparsityMeasures sparsity;                         ///< Of the training terms.
};

/// Generates or reads the scenario's data, splits it and deals it to the cores; dense data
/// becomes sparse (each term then touches every coordinate). Throws as build_learning_problem.
HogwildProblem build_hogwild_problem(const Scenario& s);

/// Evaluates parameters `x` after `terms_applied` updates: losses and (classifiers) accuracy.
Evaluation evaluate(const HogwildProblem& p, std::span<const double> x,
                    std::uint64_t terms_applied);

}  // namespace sgdsim
