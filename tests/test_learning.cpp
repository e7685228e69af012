// Learning inside the simulator matches plain sequential SGD bit for bit where the reference
// results say it must.

#include <catch2/catch.hpp>

#include <functional>
#include <numeric>

#include "models/partition.hpp"
#include "models/synthetic.hpp"
#include "sim/cluster/network.hpp"
#include "sim/learning/model_learner.hpp"
#include "sim/protocols/protocol.hpp"

using namespace sgdsim;

namespace {

struct Problem {
  std::shared_ptr<const Dataset> data;
  std::shared_ptr<const Objective> objective;
};

Problem least_squares(std::size_t n, std::size_t d) {
  RandomStream rng(21, 0, "data");
  return {std::make_shared<const Dataset>(linear_regression({n, d, 0.1}, rng)),
          std::make_shared<const LinearObjective>(LinearLoss::kSquared, 0.0)};
}

LearningSetup setup_for(const Problem& p, std::uint32_t workers, std::uint32_t batch, double eta,
                        std::uint32_t shards = 1) {
  LearningSetup s;
  s.train = p.data;
  s.objective = p.objective;
  s.update.step.eta0 = eta;
  RandomStream unused(0, 0, "partition");
  s.partitions = partition(p.data->size(), workers, PartitionKind::kContiguous, unused);
  s.batch_size = batch;
  s.seed = 77;
  s.initial = Vector::Zero(static_cast<Eigen::Index>(p.data->features()));
  s.shards = shards;
  return s;
}

/// Makes the protocol under test.
using ProtocolMaker = std::function<std::unique_ptr<Protocol>(ProtocolContext)>;

/// Runs `updates` updates of a protocol on a star with free links and 1 ms of compute per task.
void simulate(const ProtocolMaker& make, std::uint32_t workers, std::uint32_t shards,
              Learner& learner, std::uint64_t updates) {
  Simulator sim;
  const LinkInfo free_link{LatencyDistribution(), std::numeric_limits<double>::infinity(), 0};
  Topology topology = Cluster::star(workers, shards, free_link);
  std::vector<NodeId> ps, ws;
  for (NodeId n = 0; n < topology.node_count(); ++n)
    (topology.node(n).role == NodeRole::kWorker ? ws : ps).push_back(n);
  Cluster cluster(std::move(topology), ws, ps,
                  LatencyDistribution::make(LatencyKind::kConstant, {{"value", 1e-3}}), {}, 1);
  Network network(sim, cluster.topology(), 1, nullptr);
  Recorder recorder({});
  ProtocolContext ctx{
      sim, cluster, network, recorder, nullptr, learner, std::vector<std::uint64_t>(shards, 0),
      1.0};
  auto protocol = make(ctx);
  protocol->start();
  StopCondition stop;
  stop.predicate = [&] { return recorder.updates() >= updates; };
  sim.run(stop);
  REQUIRE(recorder.updates() == updates);
}

/// Same, synchronous or asynchronous.
void simulate(bool synchronous, std::uint32_t workers, std::uint32_t shards, Learner& learner,
              std::uint64_t updates) {
  simulate(synchronous ? ProtocolMaker([](ProtocolContext c) { return make_synchronous(c); })
                       : ProtocolMaker([](ProtocolContext c) { return make_asynchronous(c); }),
           workers, shards, learner, updates);
}

/// Worker w's mean gradient over `batch` samples drawn from `rows` by its own stream, written out
/// for least squares without the Objective classes.
Vector worker_gradient(const Dataset& data, const std::vector<std::size_t>& rows, RandomStream& rng,
                       std::uint32_t batch, const Vector& w) {
  Vector g = Vector::Zero(w.size());
  for (std::uint32_t b = 0; b < batch; ++b) {
    const std::size_t i = rows[rng.uniform_below(rows.size())];
    const auto row = static_cast<Eigen::Index>(i);
    const double residual = data.dense_rows().row(row).dot(w) - data.label(i);
    for (Eigen::Index k = 0; k < w.size(); ++k) g[k] += residual * data.dense_rows()(row, k);
  }
  for (Eigen::Index k = 0; k < w.size(); ++k) g[k] /= batch;
  return g;
}

}  // namespace

TEST_CASE("asynchronous SGD with one worker is plain sequential SGD bit for bit") {
  const Problem p = least_squares(200, 6);
  const LearningSetup s = setup_for(p, 1, 4, 0.05);
  ModelLearner learner(s);
  simulate(false, 1, 1, learner, 300);

  RandomStream rng(s.seed, 0, "samples");
  Vector w = s.initial;
  for (int t = 0; t < 300; ++t) {
    const Vector g = worker_gradient(*p.data, s.partitions[0], rng, 4, w);
    for (Eigen::Index k = 0; k < w.size(); ++k) w[k] -= 0.05 * g[k];
  }
  CHECK(learner.parameters() == w);
  CHECK(learner.samples_applied() == 1200);
}

TEST_CASE("synchronous SGD with P workers is sequential minibatch SGD of P times B bit for bit") {
  const std::uint32_t P = 4, B = 3;
  for (std::uint32_t shards : {1u, 3u}) {
    DYNAMIC_SECTION(shards << " parameter nodes") {
      const Problem p = least_squares(200, 6);
      const LearningSetup s = setup_for(p, P, B, 0.05, shards);
      ModelLearner learner(s);
      simulate(true, P, shards, learner, 100);

      std::vector<RandomStream> rng;
      for (std::uint32_t k = 0; k < P; ++k) rng.emplace_back(s.seed, k, "samples");
      Vector w = s.initial;
      for (int t = 0; t < 100; ++t) {
        // The minibatch of P * B samples, summed worker by worker in worker order.
        Vector sum = worker_gradient(*p.data, s.partitions[0], rng[0], B, w);
        for (std::uint32_t k = 1; k < P; ++k)
          sum += worker_gradient(*p.data, s.partitions[k], rng[k], B, w);
        for (Eigen::Index j = 0; j < w.size(); ++j) w[j] -= 0.05 * (sum[j] / P);
      }
      CHECK(learner.parameters() == w);
    }
  }
}

TEST_CASE("a worker's gradient is computed on the version it read, not the latest") {
  // Two asynchronous workers with equal compute times and free links. Both read w0 first; after
  // that worker 0 always reads the version its own update made and worker 1 the one after, so
  //   w1 = w0 - eta g0(w0),  w2 = w1 - eta g1(w0),
  //   w(2t+1) = w(2t) - eta g0(w(2t-1)),  w(2t+2) = w(2t+1) - eta g1(w(2t)):
  // every gradient is one version stale, and exactly so.
  const Problem p = least_squares(200, 6);
  const LearningSetup s = setup_for(p, 2, 2, 0.05);
  ModelLearner learner(s);
  simulate(false, 2, 1, learner, 60);

  RandomStream rng0(s.seed, 0, "samples"), rng1(s.seed, 1, "samples");
  std::vector<Vector> v = {s.initial};
  const auto step = [&](const Vector& from, const Vector& g) {
    Vector w = from;
    for (Eigen::Index k = 0; k < w.size(); ++k) w[k] -= 0.05 * g[k];
    return w;
  };
  v.push_back(step(v[0], worker_gradient(*p.data, s.partitions[0], rng0, 2, v[0])));
  v.push_back(step(v[1], worker_gradient(*p.data, s.partitions[1], rng1, 2, v[0])));
  for (std::size_t t = 1; v.size() < 61; ++t) {
    v.push_back(step(v[2 * t], worker_gradient(*p.data, s.partitions[0], rng0, 2, v[2 * t - 1])));
    v.push_back(step(v[2 * t + 1], worker_gradient(*p.data, s.partitions[1], rng1, 2, v[2 * t])));
  }
  CHECK(learner.parameters() == v[60]);
}

TEST_CASE("local SGD with one local step is synchronous SGD") {
  // Averaging the workers' moves start - (start - eta g_k) is averaging their gradients, up to
  // the rounding of the subtraction.
  const Problem p = least_squares(200, 6);
  LearningSetup local = setup_for(p, 4, 3, 0.05);
  local.local_steps = 1;
  ModelLearner averaging(local), plain(setup_for(p, 4, 3, 0.05));
  simulate(true, 4, 1, averaging, 100);
  simulate(true, 4, 1, plain, 100);
  CHECK((averaging.parameters() - plain.parameters()).norm() < 1e-12 * plain.parameters().norm());
}

TEST_CASE("one-shot averaging of k runs divides the variance of the final model by k") {
  // Least squares, constant step: after 2,000 local steps each worker's model fluctuates around
  // the optimum with some variance V; k independent workers (every one sees all the data) average
  // to V / k. Estimated over 40 seeds of the sampling streams, on the same data.
  const Problem p = least_squares(500, 4);
  const auto spread = [&](std::uint32_t k) {
    std::vector<Vector> finals;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      LearningSetup s = setup_for(p, k, 1, 0.05);
      RandomStream unused(0, 0, "partition");
      s.partitions = partition(p.data->size(), k, PartitionKind::kReplicated, unused);
      s.local_steps = 2000;
      s.seed = seed;
      ModelLearner learner(s);
      simulate(true, k, 1, learner, 1);
      finals.push_back(learner.parameters());
    }
    Vector mean = Vector::Zero(4);
    for (const Vector& w : finals) mean += w / 40.0;
    double v = 0.0;
    for (const Vector& w : finals) v += (w - mean).squaredNorm() / 39.0;
    return v;
  };
  const double one = spread(1), eight = spread(8);
  INFO("variance with 1 worker " << one << ", with 8 " << eight);
  CHECK(one / eight > 4.0);
  CHECK(one / eight < 16.0);
}

TEST_CASE("full-batch and coordinate-parallel rounds are sequential full-batch gradient descent") {
  const Problem p = least_squares(200, 6);
  // Sequential gradient descent on the mean gradient of the whole data set.
  Vector reference = Vector::Zero(6), g(6);
  std::vector<std::size_t> all(p.data->size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  for (int t = 0; t < 50; ++t) {
    p.objective->batch_gradient(*p.data, all, reference, g);
    reference -= 0.1 * (g / static_cast<double>(all.size()));
  }
  for (auto scope :
       {LearningSetup::Scope::kFullPartition, LearningSetup::Scope::kCoordinateBlock}) {
    for (std::uint32_t shards : {1u, 2u}) {
      DYNAMIC_SECTION("scope " << static_cast<int>(scope) << ", " << shards << " parameter nodes") {
        LearningSetup s = setup_for(p, 4, 1, 0.1, shards);
        s.scope = scope;
        ModelLearner learner(s);
        simulate(true, 4, shards, learner, 50);
        // The same sum in another grouping: equal up to rounding.
        CHECK((learner.parameters() - reference).norm() < 1e-12 * reference.norm());
      }
    }
  }
}

TEST_CASE("a coordinate-parallel push carries only the worker's block") {
  const Problem p = least_squares(40, 8);
  LearningSetup s = setup_for(p, 4, 1, 0.1);
  s.scope = LearningSetup::Scope::kCoordinateBlock;
  ModelLearner learner(s);
  for (std::uint32_t w = 0; w < 4; ++w) CHECK(learner.push_bytes(w, 0) == 2 * 4);  // 8 / 4 values.
}

TEST_CASE("Downpour with one worker and one shard is single-node Adagrad bit for bit") {
  // With a local step the worker's own SGD moves its copy between pushes: the push is the sum
  // of the gradients along that path.
  const Problem p = least_squares(200, 6);
  for (const auto& [push_every, local_step] : {std::pair{1u, 0.0}, {3u, 0.0}, {3u, 0.1}}) {
    DYNAMIC_SECTION("push every " << push_every << ", local step " << local_step) {
      LearningSetup s = setup_for(p, 1, 4, 0.5);
      s.update.kind = UpdateKind::kAdagrad;
      s.accumulate = push_every;
      ModelLearner learner(s);
      simulate(
          [&](ProtocolContext c) {
            return make_downpour(c, {push_every, push_every, local_step});
          },
          1, 1, learner, 100);

      // Adagrad written out, on the summed gradients of push_every batches.
      RandomStream rng(s.seed, 0, "samples");
      Vector w = s.initial, squares = Vector::Zero(6);
      for (int t = 0; t < 100; ++t) {
        Vector local = w, g = Vector::Zero(6);
        for (std::uint32_t j = 0; j < push_every; ++j) {
          const Vector gj = worker_gradient(*p.data, s.partitions[0], rng, 4, local);
          g += gj;
          for (Eigen::Index k = 0; k < 6; ++k) local[k] -= local_step * gj[k];
        }
        for (Eigen::Index k = 0; k < 6; ++k) {
          squares[k] += g[k] * g[k];
          w[k] -= 0.5 * g[k] / (std::sqrt(squares[k]) + s.update.epsilon);
        }
      }
      CHECK(learner.parameters() == w);
    }
  }
}
