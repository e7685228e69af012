#include "app/hogwild_problem.hpp"

#include "app/learning_problem.hpp"
#include "models/feature_order.hpp"
#include "sim/engine/random.hpp"

namespace sgdsim {
namespace {

/// The dataset itself when sparse, else a sparse copy (exact zeros dropped).
std::shared_ptr<const Dataset> as_sparse(std::shared_ptr<const Dataset> data) {
  if (data->is_sparse()) return data;
  SparseRows rows = data->dense_rows().sparseView();
  return std::make_shared<const Dataset>(Dataset::sparse(std::move(rows), data->labels()));
}

std::shared_ptr<const SparseObjective> make_sparse_objective(const Scenario& s,
                                                             std::shared_ptr<const Dataset> data) {
  if (s.model_type == "matrix_factorisation")
    return std::make_shared<const MatrixFactorisationObjective>(std::move(data), s.users, s.rank,
                                                                s.l2);
  const LinearLoss loss = s.model_type == "least_squares" ? LinearLoss::kSquared
                          : s.model_type == "logistic"    ? LinearLoss::kLogistic
                                                          : LinearLoss::kHinge;
  return std::make_shared<const SparseLinearObjective>(as_sparse(std::move(data)), loss, s.l2);
}

/// `data` with its features renumbered by their frequency in the training rows.
LearningData by_frequency(LearningData data) {
  const auto train = as_sparse(data.train);
  const std::vector<std::uint32_t> order = frequency_order(*train);
  const auto renumber = [&order](std::shared_ptr<const Dataset> d) {
    return std::make_shared<const Dataset>(renumber_features(*as_sparse(std::move(d)), order));
  };
  const bool eval_is_train = data.train_eval == data.train;
  data.train = renumber(train);
  data.train_eval = eval_is_train ? data.train : renumber(data.train_eval);
  data.test = renumber(data.test);
  return data;
}

}  // namespace

HogwildProblem build_hogwild_problem(const Scenario& s) {
  LearningData data = load_learning_data(s);
  if (s.hogwild.features_by_frequency) data = by_frequency(std::move(data));
  HogwildProblem p;
  p.train = make_sparse_objective(s, data.train);
  p.train_eval =
      data.train_eval == data.train ? p.train : make_sparse_objective(s, data.train_eval);
  p.test = make_sparse_objective(s, data.test);
  p.partitions = data.partitions;
  RandomStream init_rng(s.seed, 0, "init");
  p.initial = p.train->initial([&init_rng] { return init_rng.standard_normal(); });
  p.sparsity = sparsity_measures(*p.train);
  return p;
}

Evaluation evaluate(const HogwildProblem& p, std::span<const double> x,
                    std::uint64_t terms_applied) {
  Evaluation e;
  e.epoch = static_cast<double>(terms_applied) / static_cast<double>(p.train->terms());
  e.train_loss = p.train_eval->mean_loss(x);
  e.test_loss = p.test->mean_loss(x);
  if (p.train->is_classifier()) e.test_accuracy = p.test->accuracy(x);
  return e;
}

}  // namespace sgdsim
