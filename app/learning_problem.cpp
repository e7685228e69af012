#include "app/learning_problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "models/libsvm.hpp"
#include "models/partition.hpp"
#include "models/synthetic.hpp"
#include "sim/engine/random.hpp"

namespace sgdsim {
namespace {

/// LIBSVM classification files label their two classes -1/+1 or 0/1; a classifier needs -1/+1.
Dataset with_signed_labels(Dataset data, const std::string& file) {
  Vector labels = data.labels();
  for (Eigen::Index i = 0; i < labels.size(); ++i) {
    if (labels[i] == 0.0) labels[i] = -1.0;
    if (labels[i] != 1.0 && labels[i] != -1.0)
      throw DataError(
          fmt::format("{}: a classifier needs two classes labelled -1/+1 or 0/1, but "
                      "sample {} is labelled {}",
                      file, i + 1, data.labels()[i]));
  }
  return Dataset::sparse(data.sparse_rows(), std::move(labels));
}

Dataset load_data(const Scenario& s) {
  RandomStream rng(s.seed, 0, "data");
  if (s.data_source == "regression")
    return linear_regression({s.samples, s.features, s.noise}, rng);
  if (s.data_source == "classification")
    return logistic_classification({s.samples, s.features, s.margin, s.label_noise}, rng);
  if (s.data_source == "sparse")
    return sparse_classification({s.samples, s.features, s.nonzeros, s.skew, s.label_noise}, rng);
  std::ifstream in(s.data_file);
  if (!in)
    throw FileNotFound(fmt::format("{}:{}:{}: cannot read data file '{}'", s.file,
                                   s.data_file_mark.line, s.data_file_mark.column, s.data_file));
  Dataset data = read_libsvm(in, s.data_file);
  return s.model_type == "least_squares" ? std::move(data)
                                         : with_signed_labels(std::move(data), s.data_file);
}

std::shared_ptr<const Objective> make_objective(const Scenario& s) {
  const LinearLoss loss = s.model_type == "least_squares" ? LinearLoss::kSquared
                          : s.model_type == "logistic"    ? LinearLoss::kLogistic
                                                          : LinearLoss::kHinge;
  return std::make_shared<const LinearObjective>(loss, s.l2);
}

}  // namespace

LearningProblem build_learning_problem(const Scenario& s) {
  const Dataset data = load_data(s);
  if (data.size() < 2) throw DataError(s.data_file + ": a dataset needs at least two samples");
  RandomStream split_rng(s.seed, 0, "split");
  const Split split = train_test_split(data.size(), s.test_fraction, split_rng);
  LearningProblem p;
  p.train = std::make_shared<const Dataset>(data.subset(split.train));
  p.test = std::make_shared<const Dataset>(data.subset(split.test));
  p.train_eval = p.train;
  if (s.eval_samples > 0 && s.eval_samples < p.train->size()) {
    RandomStream eval_rng(s.seed, 0, "eval");
    std::vector<std::size_t> rows = shuffled_indices(p.train->size(), eval_rng);
    rows.resize(s.eval_samples);
    std::sort(rows.begin(), rows.end());
    p.train_eval = std::make_shared<const Dataset>(p.train->subset(rows));
  }
  p.objective = make_objective(s);
  RandomStream partition_rng(s.seed, 0, "partition");
  p.setup.train = p.train;
  p.setup.objective = p.objective;
  p.setup.update = s.update;
  p.setup.partitions = partition(p.train->size(), s.workers, s.partition, partition_rng);
  for (const auto& part : p.setup.partitions)
    if (part.empty())
      throw DataError(fmt::format("{} training samples cannot be dealt to {} workers",
                                  p.train->size(), s.workers));
  p.setup.batch_size = s.batch_size;
  p.setup.seed = s.seed;
  p.setup.initial =
      Vector::Zero(static_cast<Eigen::Index>(p.objective->dimension(data.features())));
  p.setup.shards = s.parameter_nodes;
  if (p.setup.initial.size() < s.parameter_nodes)
    throw DataError(
        fmt::format("a model of {} parameters cannot be split across {} parameter nodes",
                    p.setup.initial.size(), s.parameter_nodes));
  return p;
}

Evaluation evaluate(const LearningProblem& p, const ModelLearner& learner) {
  const Vector w = learner.parameters();
  Evaluation e;
  e.epoch = static_cast<double>(learner.samples_applied()) / static_cast<double>(p.train->size());
  e.train_loss = p.objective->mean_loss(*p.train_eval, w);
  e.test_loss = p.objective->mean_loss(*p.test, w);
  if (p.objective->is_classifier()) e.test_accuracy = p.objective->accuracy(*p.test, w);
  return e;
}

}  // namespace sgdsim
