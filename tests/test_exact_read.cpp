// The exact-read invariant, for every strategy that applies gradients: each gradient a node
// applies is the one its worker computed on the version its updates.csv row records (checked from
// outside the protocols by tests/checking_learner.hpp), and the final model is a replay of
// updates.csv. A node that applies a worker's live buffer, the bug these tests guard against, is
// re-made here and caught.

#include <catch2/catch.hpp>

#include "app/cluster_builder.hpp"
#include "app/learning_problem.hpp"
#include "checking_learner.hpp"
#include "sim/cluster/network.hpp"
#include "sim/protocols/protocol.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

/// Every strategy that applies gradients, with the keys it needs. Downpour keeps its local step
/// at 0: its push is then a sum of gradients on the version it fetched.
const std::vector<std::string> kStrategies = {
    "{type: sync}",
    "{type: async}",
    "{type: async, compression: qsgd}",
    "{type: k_sync, k: 2}",
    "{type: k_batch_sync, k: 3}",
    "{type: k_async, k: 2}",
    "{type: k_batch_async, k: 2}",
    "{type: k_batch_async, k: 3}",
    "{type: backup, backup_workers: 1}",
    "{type: ssp, staleness_bound: 0}",
    "{type: ssp, staleness_bound: 1}",
    "{type: ssp, staleness_bound: 3}",
    "{type: downpour, push_every: 2, fetch_every: 3}",
    "{type: local_sgd, local_steps: 3}",
    "{type: full_batch}",
    "{type: coordinate_parallel}",
    "{type: all_reduce}",
};

/// A small least-squares run of `algorithm` with stragglers; `cluster` and `network` vary the
/// rest. Rounds time out so that a failed worker does not stop the synchronous strategies.
std::string scenario(const std::string& algorithm, const std::string& cluster,
                     const std::string& network, std::uint64_t seed) {
  return "seed: " + std::to_string(seed) + "\ncluster: " + cluster +
         "\ncompute: {time: {dist: straggler, base: {dist: exponential, mean: 1ms}, p: 0.2, "
         "factor: 8}}\nnetwork: " +
         network + "\nalgorithm: " + algorithm +
         "\nmodel: {type: least_squares}\ndata: {source: regression, samples: 40, features: 6}\n"
         "stop: {updates: 300, time: 1s}\noutput: {trace: false}\nname: check\n";
}

}  // namespace

TEST_CASE(
    "every applied gradient was computed on the version its update records, for every "
    "strategy, with stragglers, sharding, latency and failures, on one thread or three") {
  TempDir dir;
  int runs = 0;
  for (const std::string& algorithm : kStrategies)
    for (const std::uint32_t shards : {1u, 3u})
      for (const char* network : {"{latency: 0s}", "{latency: {dist: exponential, mean: 300us}}"})
        for (const bool failure : {false, true}) {
          const bool ring = algorithm.find("all_reduce") != std::string::npos;
          if (ring && shards > 1) continue;  // A ring has no parameter node to shard.
          std::string cluster = "{workers: 5";
          if (!ring) cluster += ", parameter_nodes: " + std::to_string(shards);
          if (failure) cluster += ", failures: {3: 60ms}";
          cluster += "}";
          std::string with_timeout = algorithm;
          if (failure && !ring && algorithm.find("async") == std::string::npos &&
              algorithm.find("downpour") == std::string::npos)
            with_timeout.insert(with_timeout.size() - 1, ", round_timeout: 20ms");
          const std::string yaml = scenario(with_timeout, cluster, network, 7 + runs);
          // Every other run computes its gradients on three threads.
          const std::uint32_t threads = runs % 2 == 0 ? 1 : 3;
          const std::string name = "run" + std::to_string(runs++);
          INFO(yaml << "on " << threads << " threads");
          const auto [check, run] = run_checked(dir, yaml, name, threads);
          REQUIRE(check->applied() > 0);
          const std::vector<std::string> faults = check->verify(run / "updates.csv");
          for (const std::string& f : faults) UNSCOPED_INFO(f);
          CHECK(faults.empty());
        }
  CHECK(runs == 16 * 8 + 4);
}

namespace {

/// The ownership bug, re-made: a push carries only its worker and the version read, the node
/// applies the pusher's buffer as it is when the push arrives, and the pusher has by then
/// computed its next gradient into that buffer (it is sent a model at once, as SSP and
/// K-batch-async do).
class LiveBufferProtocol final : public Protocol {
 public:
  explicit LiveBufferProtocol(ProtocolContext ctx)
      : ctx_(std::move(ctx)), gradient_(workers()), v_read_(workers()) {}
  void start() override {
    for (std::uint32_t w = 0; w < workers(); ++w) compute(w);
  }
  void fail_worker(std::uint32_t) override {}

 private:
  std::uint32_t workers() const { return ctx_.cluster.worker_count(); }
  void compute(std::uint32_t w) {
    const ShardSnapshot read = ctx_.learner.snapshot(0);
    v_read_[w] = version_;
    ctx_.learner.compute(w, std::span(&read, 1), gradient_[w]);
    ctx_.learner.finish(w, gradient_[w]);
    ctx_.sim.schedule_in(ctx_.cluster.compute_time(w, 1.0), [this, w] {
      const std::uint64_t v = v_read_[w];
      ctx_.network.send(ctx_.cluster.worker_node(w), ctx_.cluster.parameter_node(0), 8,
                        [this, w, v] { apply(w, v); });
      compute(w);
    });
  }
  void apply(std::uint32_t w, std::uint64_t v) {
    ctx_.recorder.gradient_applied({ctx_.sim.now(), w, 0, v, version_, -1});
    const std::vector<double>* slice = &gradient_[w][0];
    ctx_.learner.apply(0, std::span(&slice, 1));
    ++version_;
    ctx_.recorder.model_updated(ctx_.sim.now());
  }
  ProtocolContext ctx_;
  std::vector<Gradient> gradient_;
  std::vector<std::uint64_t> v_read_;
  std::uint64_t version_ = 0;
};

}  // namespace

TEST_CASE("the check catches a node that applies a worker's live buffer under an older version") {
  TempDir dir;
  const Scenario s = load_scenario_text(
      scenario("{type: async}", "{workers: 4}", "{latency: {dist: exponential, mean: 2ms}}", 3),
      (dir / "live.yaml").string());
  const LearningProblem problem = build_learning_problem(s);
  ModelLearner model(problem.setup);
  auto check = std::make_shared<CheckingLearner>();
  const std::unique_ptr<Learner> learner = CheckingLearner::attach(check, model, 1);
  Simulator sim;
  Cluster cluster = build_cluster(s);
  Network network(sim, cluster.topology(), s.seed, nullptr);
  {
    std::ofstream updates(dir / "updates.csv");
    RecorderSinks sinks;
    sinks.updates = &updates;
    Recorder recorder(std::move(sinks));
    ProtocolContext ctx{sim, cluster, network, recorder, nullptr, *learner, {8}, 1.0};
    LiveBufferProtocol protocol(ctx);
    protocol.start();
    StopCondition stop;
    stop.predicate = [&] { return recorder.updates() >= 100; };
    sim.run(stop);
  }
  const std::vector<std::string> faults = check->verify(dir / "updates.csv", 1000);
  // Links slower than the compute make almost every applied buffer a newer gradient.
  CHECK(faults.size() > 50);
}

namespace {

/// The final parameters replayed from `updates_csv` of a one-shard run in which every worker has
/// one sample: each row's gradient is recomputed on the model of its v_read, and the gradients of
/// each version are averaged in row order and applied with the scenario's update rule.
std::vector<double> replay(const Scenario& s, const std::filesystem::path& updates_csv) {
  const LearningProblem p = build_learning_problem(s);
  for (const auto& rows : p.setup.partitions) REQUIRE(rows.size() == 1);
  const auto worker = csv_column(updates_csv, "worker"), v_read = csv_column(updates_csv, "v_read"),
             v_apply = csv_column(updates_csv, "v_apply");
  std::vector<Vector> models = {p.setup.initial};
  UpdateState rule(p.setup.update, static_cast<std::size_t>(p.setup.initial.size()));
  Vector g(p.setup.initial.size()), sum;
  for (std::size_t i = 0; i < worker.size();) {
    const auto v = static_cast<std::size_t>(v_apply[i]);
    REQUIRE(v + 1 == models.size());
    std::size_t n = 0;
    for (; i < worker.size() && v_apply[i] == static_cast<double>(v); ++i, ++n) {
      const std::size_t row = p.setup.partitions[static_cast<std::size_t>(worker[i])][0];
      p.objective->batch_gradient(*p.train, std::span(&row, 1),
                                  models[static_cast<std::size_t>(v_read[i])], g);
      sum = n == 0 ? g : Vector(sum + g);
    }
    if (n > 1) sum /= static_cast<double>(n);
    Vector next = models.back();
    rule.apply(next, sum);
    models.push_back(std::move(next));
  }
  return {models.back().data(), models.back().data() + models.back().size()};
}

}  // namespace

TEST_CASE("the final model is a replay of updates.csv, bit for bit, for every strategy") {
  // Five workers with one training sample each: a gradient is a known function of the model it
  // is computed on, so updates.csv alone determines the run.
  TempDir dir;
  for (const char* algorithm :
       {"{type: sync}", "{type: async}", "{type: k_sync, k: 2}", "{type: k_batch_sync, k: 3}",
        "{type: k_async, k: 2}", "{type: k_batch_async, k: 2}", "{type: k_batch_async, k: 3}",
        "{type: backup, backup_workers: 1}", "{type: ssp, staleness_bound: 0}",
        "{type: ssp, staleness_bound: 1}", "{type: ssp, staleness_bound: 3}", "{type: downpour}",
        "{type: all_reduce}"}) {
    const std::string yaml =
        "cluster: {workers: 5}\ncompute: {time: {dist: straggler, base: {dist: exponential, "
        "mean: 1ms}, p: 0.2, factor: 8}}\nnetwork: {latency: {dist: exponential, mean: "
        "300us}}\nalgorithm: " +
        std::string(algorithm) +
        "\nmodel: {type: least_squares}\ndata: {source: regression, samples: 10, features: 4, "
        "test_fraction: 0.5}\nstop: {updates: 150}\noutput: {trace: false}\nname: replay\n";
    INFO(algorithm);
    const std::string name = "r" + std::to_string(std::hash<std::string>{}(yaml));
    const auto [check, run] = run_checked(dir, yaml, name);
    const Scenario s = load_scenario_text(yaml, (dir / (name + ".yaml")).string());
    CHECK(replay(s, run / "updates.csv") == check->parameters());
  }
}
