#include "app/learning_problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "app/strategies.hpp"
#include "models/classes.hpp"
#include "models/email_corpus.hpp"
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

/// A label a multi-class model takes: 0, 1, ... up to a million, or -1 for class 0.
bool is_class_label(double y) {
  return y == -1.0 || (y >= 0.0 && y == std::floor(y) && y <= 1e6);
}

/// Multi-class models need labels 0, 1, ... (or -1 for class 0).
void check_class_labels(const Dataset& data, const std::string& file) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double y = data.label(i);
    if (!is_class_label(y))
      throw DataError(
          fmt::format("{}: a multi-class model needs labels 0, 1, 2, ..., but sample "
                      "{} is labelled {}",
                      file, i + 1, y));
  }
}

/// True when every label is a class (-1, or an integer from 0 to a million).
bool has_class_labels(const Dataset& data) {
  for (std::size_t i = 0; i < data.size(); ++i)
    if (!is_class_label(data.label(i))) return false;
  return true;
}

/// The number of classes in the data: the largest class index plus one, at least two.
std::size_t count_classes(const Dataset& data) {
  std::size_t classes = 2;
  for (std::size_t i = 0; i < data.size(); ++i)
    classes = std::max(classes, class_of(data.label(i)) + 1);
  return classes;
}

/// A scenario's data, and the split they come with (Fashion-MNIST's own), if any.
struct LoadedData {
  /// Data without a split of their own (generated data convert implicitly).
  LoadedData(Dataset d, std::optional<Split> s = std::nullopt)
      : data(std::move(d)), split(std::move(s)) {}
  Dataset data;
  std::optional<Split> split;
};

/// At most `keep` of the indices 0..n-1, drawn at random and sorted (all of them when keep >= n).
std::vector<std::size_t> keep_rows(std::size_t n, std::size_t keep, RandomStream& rng) {
  std::vector<std::size_t> rows = shuffled_indices(n, rng);
  if (keep < n) rows.resize(keep);
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// The cache folder of real datasets: data.folder, else $SGDSIM_DATA, else the first .cache/data
/// at or above the scenario's folder, else .cache/data in the current directory.
std::filesystem::path data_folder(const Scenario& s) {
  if (!s.data_folder.empty()) return s.data_folder;
  if (const char* env = std::getenv("SGDSIM_DATA"); env && *env) return env;
  const std::filesystem::path cache = std::filesystem::path(".cache") / "data";
  std::filesystem::path dir = std::filesystem::absolute(s.file).parent_path();
  for (;; dir = dir.parent_path()) {
    if (std::filesystem::is_directory(dir / cache)) return dir / cache;
    if (dir == dir.parent_path()) break;
  }
  return std::filesystem::absolute(cache);
}

/// Throws FileNotFound at data.source when `file` of a real dataset is not in the cache folder.
void require_data(const Scenario& s, const std::filesystem::path& folder,
                  const std::filesystem::path& file) {
  if (std::filesystem::exists(file)) return;
  throw FileNotFound(
      ScenarioError(s.file, s.data_source_mark,
                    fmt::format("data.source {}: cannot read '{}': the data are not in the cache "
                                "folder '{}'; run `make data` (or `SGDSIM_DATA={} "
                                "scripts/fetch-data.sh`) to fetch them",
                                s.data_source, file.string(), folder.string(), folder.string()))
          .what());
}

/// Fashion-MNIST's training images then its test images, at most s.max_samples of them in the
/// proportion of the two sets, and the split between them.
LoadedData load_fashion_mnist_split(const Scenario& s) {
  const std::filesystem::path folder = data_folder(s);
  for (const bool test_set : {false, true})
    for (const auto& file : fashion_mnist_files(folder, test_set)) require_data(s, folder, file);
  IdxImages images = read_fashion_mnist(folder, false);
  const IdxImages test = read_fashion_mnist(folder, true);
  const std::size_t n_train = images.size(), n_test = test.size(), n = n_train + n_test;
  images.pixels.insert(images.pixels.end(), test.pixels.begin(), test.pixels.end());
  images.labels.insert(images.labels.end(), test.labels.begin(), test.labels.end());
  std::size_t keep_train = n_train, keep_test = n_test;
  if (s.max_samples > 0 && s.max_samples < n) {
    const auto max = static_cast<std::size_t>(s.max_samples);
    keep_train = static_cast<std::size_t>(std::llround(static_cast<double>(max * n_train) / n));
    keep_train = std::clamp<std::size_t>(keep_train, 1, std::max<std::size_t>(1, max - 1));
    keep_test = max - keep_train;
  }
  RandomStream rng(s.seed, 0, "subsample");
  std::vector<std::size_t> rows = keep_rows(n_train, keep_train, rng);
  for (const std::size_t i : keep_rows(n_test, keep_test, rng)) rows.push_back(n_train + i);
  LoadedData loaded{idx_dataset(images, rows), Split{}};
  for (std::size_t i = 0; i < rows.size(); ++i)
    (i < keep_train ? loaded.split->train : loaded.split->test).push_back(i);
  return loaded;
}

/// Data read from a file (LIBSVM, the SpamAssassin corpus), cut to s.max_samples.
Dataset read_data(const Scenario& s) {
  Dataset data;
  std::string name = s.data_file;
  if (s.data_source == "spam_assassin") {
    const std::filesystem::path folder = data_folder(s);
    require_data(s, folder, spam_assassin_index(folder));
    data = load_spam_assassin(folder, s.hashed_features);
    name = spam_assassin_index(folder).string();
  } else {
    std::ifstream in(s.data_file);
    if (!in)
      throw FileNotFound(fmt::format("{}:{}:{}: cannot read data file '{}'", s.file,
                                     s.data_file_mark.line, s.data_file_mark.column, s.data_file));
    data = read_libsvm(in, s.data_file);
  }
  if (s.max_samples > 0 && s.max_samples < data.size()) {
    RandomStream rng(s.seed, 0, "subsample");
    data = data.subset(keep_rows(data.size(), s.max_samples, rng));
  }
  if (s.model_type == "logistic" || s.model_type == "svm")
    return with_signed_labels(std::move(data), name);
  if (s.model_type == "softmax" || s.model_type == "mlp") check_class_labels(data, name);
  return data;
}

LoadedData load_data(const Scenario& s) {
  RandomStream rng(s.seed, 0, "data");
  if (s.data_source == "regression")
    return linear_regression({s.samples, s.features, s.noise}, rng);
  if (s.data_source == "classification")
    return logistic_classification({s.samples, s.features, s.margin, s.label_noise}, rng);
  if (s.data_source == "rings") return rings({s.samples, s.features, s.label_noise}, rng);
  if (s.data_source == "blobs") return blobs({s.samples, s.features, s.classes, s.spread}, rng);
  if (s.data_source == "sparse")
    return sparse_classification({s.samples, s.features, s.nonzeros, s.skew, s.label_noise}, rng);
  if (s.data_source == "ratings")
    return low_rank_ratings({s.users, s.items, s.data_rank, s.samples, s.noise}, rng);
  if (s.data_source == "fashion_mnist") return load_fashion_mnist_split(s);
  return read_data(s);
}

/// The scenario's TorchScript module, checked against the training data; a module that does not
/// fit is a scenario error at the key to change.
std::shared_ptr<const Objective> load_torchscript_model(const Scenario& s,
                                                        const LearningData& data) {
  const TorchScriptKeys& keys = s.torchscript;
  const auto at = [&](const Mark& mark, const std::string& message) {
    return ScenarioError(s.file, mark.line > 0 || !mark.option.empty() ? mark : keys.file_mark,
                         message);
  };
  if (!std::filesystem::is_regular_file(keys.file))
    throw FileNotFound(
        at(keys.file_mark,
           fmt::format("model.file: cannot read '{}'{}", keys.file,
                       std::filesystem::exists(keys.file) ? ": not a file" : ": no such file"))
            .what());
  TorchScriptSpec spec;
  spec.file = keys.file;
  spec.loss = keys.loss;
  spec.input_shape = keys.input_shape;
  spec.l2 = s.l2;
  spec.classes = data.classes;
  spec.class_labels = has_class_labels(*data.train) && has_class_labels(*data.test);
  try {
    return load_torchscript(spec, *data.train);
  } catch (const TorchScriptError& e) {
    using Part = TorchScriptError::Part;
    switch (e.part()) {
      case Part::kFile:
        throw at(keys.file_mark, fmt::format("model.file '{}' {}", keys.file, e.what()));
      case Part::kLoss:
        throw at(keys.loss_mark, e.what());
      case Part::kInputShape:
        throw at(keys.input_shape_mark, e.what());
      case Part::kBuild:
        throw at(s.model_type_mark, e.what());
    }
    throw;
  }
}

std::shared_ptr<const Objective> make_objective(const Scenario& s, const LearningData& data) {
  const std::size_t classes = data.classes;
  if (s.model_type == "torchscript") return load_torchscript_model(s, data);
  if (s.model_type == "softmax") return std::make_shared<const SoftmaxObjective>(classes, s.l2);
  if (s.model_type == "mlp") return std::make_shared<const MlpObjective>(s.hidden, classes, s.l2);
  const LinearLoss loss = s.model_type == "least_squares" ? LinearLoss::kSquared
                          : s.model_type == "logistic"    ? LinearLoss::kLogistic
                                                          : LinearLoss::kHinge;
  return std::make_shared<const LinearObjective>(loss, s.l2);
}

}  // namespace

LearningData load_learning_data(const Scenario& s) {
  const LoadedData loaded = load_data(s);
  const Dataset& data = loaded.data;
  if (data.size() < 2) throw DataError(s.data_file + ": a dataset needs at least two samples");
  RandomStream split_rng(s.seed, 0, "split");
  const Split split =
      loaded.split ? *loaded.split : train_test_split(data.size(), s.test_fraction, split_rng);
  LearningData d;
  d.classes = count_classes(data);
  d.train = std::make_shared<const Dataset>(data.subset(split.train));
  d.test = std::make_shared<const Dataset>(data.subset(split.test));
  d.train_eval = d.train;
  if (s.eval_samples > 0 && s.eval_samples < d.train->size()) {
    RandomStream eval_rng(s.seed, 0, "eval");
    std::vector<std::size_t> rows = shuffled_indices(d.train->size(), eval_rng);
    rows.resize(s.eval_samples);
    std::sort(rows.begin(), rows.end());
    d.train_eval = std::make_shared<const Dataset>(d.train->subset(rows));
  }
  RandomStream partition_rng(s.seed, 0, "partition");
  d.partitions = partition(d.train->size(), s.workers, s.partition, partition_rng);
  for (const auto& part : d.partitions)
    if (part.empty())
      throw DataError(fmt::format("{} training samples cannot be dealt to {} workers",
                                  d.train->size(), s.workers));
  return d;
}

LearningProblem build_learning_problem(const Scenario& s) {
  LearningData data = load_learning_data(s);
  LearningProblem p;
  p.train = data.train;
  p.test = data.test;
  p.train_eval = data.train_eval;
  p.objective = make_objective(s, data);
  p.setup.train = p.train;
  p.setup.objective = p.objective;
  p.setup.update = s.update;
  p.setup.partitions = std::move(data.partitions);
  p.setup.batch_size = s.batch_size;
  p.setup.seed = s.seed;
  RandomStream init_rng(s.seed, 0, "init");
  p.setup.initial =
      p.objective->initial(p.train->features(), [&init_rng] { return init_rng.standard_normal(); });
  p.setup.shards = std::max(1u, s.parameter_nodes);  // all_reduce: one model, in every replica.
  p.setup.compression = s.compression;
  p.setup.value_bytes = s.value_bytes;
  // What a task computes (a batch, local steps, a whole partition, ...) is the strategy's.
  if (const auto configure = strategy_named(s.algorithm).configure_learning) configure(s, p.setup);
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
  const Objective::LossAndAccuracy test = p.objective->loss_and_accuracy(*p.test, w);
  e.test_loss = test.loss;
  if (p.objective->is_classifier()) e.test_accuracy = test.accuracy;
  return e;
}

}  // namespace sgdsim
