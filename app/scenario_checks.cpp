// What a scenario's keys must satisfy together, checked once every key is bound, and the values
// worked out from several keys.

#include "app/scenario_checks.hpp"

#include "app/strategies.hpp"
#include "app/yaml_paths.hpp"

namespace sgdsim {
namespace {

/// Checks the algorithm's own keys against the cluster (the strategy's required keys, then its
/// own checks) and works out how many gradients make one update.
void resolve_algorithm(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  const Strategy& strategy = strategy_named(s.algorithm);
  s.wait_for = s.protocol == ProtocolType::kSync ? s.workers : 1;
  for (std::string_view key : strategy.required)
    if (!lookup(root, std::string(key)))
      ctx.fail(position_of(root, "algorithm.type"),
               "missing required key '" + std::string(key) + "' for " + s.algorithm);
  if (strategy.resolve) strategy.resolve(root, s, ctx);
  if (s.fetch_every == 0) s.fetch_every = s.push_every;
}

/// HOGWILD!'s keys against the rest: what it can train, where it runs, and its defaults.
void resolve_hogwild(const YamlNode& root, Scenario& s, YamlNode& resolved,
                     const LoadContext& ctx) {
  const bool threads = s.hogwild.backend == HogwildSpec::Backend::kThreads;
  if (s.algorithm != "hogwild") {
    if (threads)
      ctx.fail(position_of(root, "backend"), "backend threads runs algorithm.type hogwild only");
    if (s.model_type == "matrix_factorisation")
      ctx.fail(position_of(root, "model.type"),
               "matrix_factorisation trains with algorithm.type hogwild only");
    return;
  }
  const std::string& m = s.model_type;
  if (m != "svm" && m != "logistic" && m != "least_squares" && m != "matrix_factorisation")
    ctx.fail(position_of(root, lookup(root, "model.type") ? "model.type" : "algorithm.type"),
             "hogwild updates a few coordinates per term: model.type must be svm, logistic, "
             "least_squares or matrix_factorisation");
  if ((m == "matrix_factorisation") != (s.data_source == "ratings"))
    ctx.fail(position_of(root, lookup(root, "data.source") ? "data.source" : "model.type"),
             "matrix_factorisation and data.source ratings go together");
  if (s.batch_size != 1)
    ctx.fail(position_of(root, "algorithm.batch_size"),
             "hogwild updates one term at a time: algorithm.batch_size must be 1");
  if (s.update.kind != UpdateKind::kSgd)
    ctx.fail(position_of(root, "algorithm.update"), "hogwild writes plain SGD steps");
  if (s.compression.kind != CompressionSettings::Kind::kNone)
    ctx.fail(position_of(root, "algorithm.compression"),
             "hogwild writes to shared memory: there is nothing to compress");
  if (threads && (s.stop_updates == 0 || s.stop_time > 0.0))
    ctx.fail(position_of(root, s.stop_time > 0.0 ? "stop.time" : "stop"),
             "backend threads runs a number of updates: give stop.updates, not stop.time");
  if (s.hogwild.features_by_frequency && m == "matrix_factorisation")
    ctx.fail(position_of(root, "hogwild.feature_order"),
             "feature_order by_frequency renumbers a linear model's features; matrix_factorisation "
             "lays out its factors itself");
  if (threads && s.hogwild.variant != HogwildVariant::kLockFree)
    ctx.fail(position_of(root, "hogwild.variant"),
             "backend threads runs the lock_free variant only");
  // HOGWILD!'s cores all sample from the whole training set unless the scenario deals it out.
  if (!lookup(root, "data.partition")) {
    s.partition = PartitionKind::kReplicated;
    put(resolved, "data.partition", scalar("replicated"), ctx);
  }
}

/// The torchscript model's keys: the module named, libtorch built in. What the module itself
/// must satisfy is checked when it is loaded, against the data.
void resolve_torchscript(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  if (s.model_type != "torchscript") return;
  if (const std::string missing = torchscript_unavailable(); !missing.empty())
    ctx.fail(position_of(root, "model.type"), "model.type torchscript: " + missing);
  if (s.torchscript.file.empty())
    ctx.fail(position_of(root, "model.type"),
             "missing required key 'model.file' for model.type torchscript");
  if (s.torchscript.loss == TorchLoss::kCrossEntropy && s.data_source == "regression")
    ctx.fail(position_of(root, "model.loss"),
             "cross_entropy needs classes, but data.source regression has real labels; use mse");
}

}  // namespace

void resolve_scenario(const YamlNode& root, Scenario& s, YamlNode& resolved,
                      const LoadContext& ctx) {
  if (s.stop_updates == 0 && s.stop_time == 0.0)
    ctx.fail(nearest(root, "stop.updates"),
             "missing required key 'stop.updates' or 'stop.time': a run needs an end");
  const bool binary = s.model_type == "logistic" || s.model_type == "svm";
  const bool classifies = binary || s.model_type == "softmax" || s.model_type == "mlp";
  const auto where_data = [&]() -> const YamlNode& {
    return position_of(root, lookup(root, "data.source") ? "data.source" : "model.type");
  };
  if (classifies && s.data_source == "regression")
    ctx.fail(where_data(), "model.type " + s.model_type +
                               " classifies, but data.source regression has real labels; use "
                               "classification, rings, blobs, sparse or libsvm");
  if (binary && (s.data_source == "blobs" || s.data_source == "fashion_mnist"))
    ctx.fail(where_data(), "model.type " + s.model_type + " has two classes, but data.source " +
                               s.data_source + " has several; use softmax or mlp");
  if (s.model_type == "least_squares" && s.data_source != "regression" && s.data_source != "libsvm")
    ctx.fail(where_data(), "model.type least_squares fits real labels; data.source " +
                               s.data_source + " has classes (use logistic, svm, softmax or mlp)");
  resolve_torchscript(root, s, ctx);
  resolve_algorithm(root, s, ctx);
  resolve_hogwild(root, s, resolved, ctx);
  if (s.parameter_nodes == 0) put(resolved, "cluster.parameter_nodes", scalar("0"), ctx);
  put(resolved, "algorithm.fetch_every", scalar(std::to_string(s.fetch_every)), ctx);
  if (s.scaling_reference_batch > 0) {
    // The linear scaling rule: the step grows with the samples that make one update.
    const std::uint64_t per_update = static_cast<std::uint64_t>(s.batch_size) * s.wait_for;
    s.update.step.eta0 *=
        static_cast<double>(per_update) / static_cast<double>(s.scaling_reference_batch);
  }
  if (!s.learns() && s.compression.kind != CompressionSettings::Kind::kNone)
    ctx.fail(position_of(root, "algorithm.compression"),
             "gradient compression needs a model to compress: set model.type");
  if (s.data_source == "libsvm" && s.data_file.empty())
    ctx.fail(position_of(root, "data.source"),
             "missing required key 'data.file' for data.source libsvm");
  if (s.worker_factors.empty()) s.worker_factors.assign(s.workers, 1.0);
  if (s.metrics_every == 0)
    s.metrics_every = s.stop_updates ? std::max<std::uint64_t>(1, s.stop_updates / 100) : 100;
  if (!lookup(root, "name")) put(resolved, "name", scalar(s.name), ctx);
  put(resolved, "output.metrics_every", scalar(std::to_string(s.metrics_every)), ctx);
  s.resolved = std::move(resolved);
}

}  // namespace sgdsim
