#include "app/learning_problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "models/classes.hpp"
#include "models/libsvm.hpp"
#include "models/mlp.hpp"
#include "models/partition.hpp"
#include "models/softmax.hpp"
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

/// Multi-class models need labels 0, 1, ... (or -1 for class 0).
void check_class_labels(const Dataset& data, const std::string& file) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double y = data.label(i);
    if (y != -1.0 && (y < 0.0 || y != std::floor(y) || y > 1e6))
      throw DataError(
          fmt::format("{}: a multi-class model needs labels 0, 1, 2, ..., but sample "
                      "{} is labelled {}",
                      file, i + 1, y));
  }
}

/// The number of classes in the data: the largest class index plus one, at least two.
std::size_t count_classes(const Dataset& data) {
  std::size_t classes = 2;
  for (std::size_t i = 0; i < data.size(); ++i)
    classes = std::max(classes, class_of(data.label(i)) + 1);
  return classes;
}

Dataset load_data(const Scenario& s) {
  RandomStream rng(s.seed, 0, "data");
  if (s.data_source == "regression")
    return linear_regression({s.samples, s.features, s.noise}, rng);
  if (s.data_source == "classification")
    return logistic_classification({s.samples, s.features, s.margin, s.label_noise}, rng);
  if (s.data_source == "rings") return rings({s.samples, s.features, s.label_noise}, rng);
  if (s.data_source == "blobs") return blobs({s.samples, s.features, s.classes, s.spread}, rng);
  if (s.data_source == "sparse")
    return sparse_classification({s.samples, s.features, s.nonzeros, s.skew, s.label_noise}, rng);
  std::ifstream in(s.data_file);
  if (!in)
    throw FileNotFound(fmt::format("{}:{}:{}: cannot read data file '{}'", s.file,
                                   s.data_file_mark.line, s.data_file_mark.column, s.data_file));
  Dataset data = read_libsvm(in, s.data_file);
  if (s.model_type == "logistic" || s.model_type == "svm")
    return with_signed_labels(std::move(data), s.data_file);
  if (s.model_type == "softmax" || s.model_type == "mlp") check_class_labels(data, s.data_file);
  return data;
}

std::shared_ptr<const Objective> make_objective(const Scenario& s, const Dataset& data) {
  if (s.model_type == "softmax")
    return std::make_shared<const SoftmaxObjective>(count_classes(data), s.l2);
  if (s.model_type == "mlp")
    return std::make_shared<const MlpObjective>(s.hidden, count_classes(data), s.l2);
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
  p.objective = make_objective(s, data);
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
  RandomStream init_rng(s.seed, 0, "init");
  p.setup.initial =
      p.objective->initial(data.features(), [&init_rng] { return init_rng.standard_normal(); });
  p.setup.shards = std::max(1u, s.parameter_nodes);  // all_reduce: one model, in every replica.
  p.setup.compression = s.compression;
  p.setup.local_steps = s.algorithm == "local_sgd" ? s.local_steps : 0;
  p.setup.scope = s.algorithm == "full_batch"            ? LearningSetup::Scope::kFullPartition
                  : s.algorithm == "coordinate_parallel" ? LearningSetup::Scope::kCoordinateBlock
                                                         : LearningSetup::Scope::kSampled;
  p.setup.value_bytes = s.value_bytes;
  p.setup.accumulate = s.algorithm == "downpour" ? s.push_every : 1;
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
