// Simulated HOGWILD!: overwrites where the semantics says, none where the supports are disjoint,
// the sparsity measures of Niu et al. on a hand-made hypergraph, and the locked and conflict-free
// variants.

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "models/partition.hpp"
#include "models/sparsity.hpp"
#include "models/synthetic.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/protocols/hogwild.hpp"

using namespace sgdsim;

namespace {

/// A sparse two-class dataset whose rows have exactly the given supports (values 1, labels
/// alternating), over `columns` features.
std::shared_ptr<const Dataset> with_supports(const std::vector<std::vector<std::int64_t>>& rows,
                                             std::int64_t columns) {
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  Vector y(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const std::int64_t j : rows[i])
      entries.emplace_back(static_cast<std::int64_t>(i), j, 1.0 + 0.5 * static_cast<double>(j));
    y[static_cast<Eigen::Index>(i)] = i % 2 ? 1.0 : -1.0;
  }
  SparseRows x(static_cast<Eigen::Index>(rows.size()), columns);
  x.setFromTriplets(entries.begin(), entries.end());
  return std::make_shared<const Dataset>(Dataset::sparse(std::move(x), std::move(y)));
}

/// What a simulated run left behind.
struct HogwildRun {
  std::vector<double> x;
  CoordinateCounts counts;
  std::vector<std::uint64_t> staleness;  ///< Histogram.
  std::uint64_t updates = 0;
  std::uint64_t rounds = 0;
  SimTime end = 0;
  std::vector<SimTime> blocked;
};

/// Runs `updates` updates of HOGWILD! with `cores` cores, each sampling from its own part of the
/// terms (`partition`), with `compute` per update and no memory cost.
HogwildRun simulate(std::shared_ptr<const SparseObjective> f, std::uint32_t cores,
                    HogwildSettings settings, std::uint64_t updates, PartitionKind partition,
                    const LatencyDistribution& compute, double step = 0.01) {
  Simulator sim;
  const LinkInfo free_link{LatencyDistribution(), std::numeric_limits<double>::infinity(), 0};
  Topology topology = Cluster::star(cores, 1, free_link);
  std::vector<NodeId> ps, ws;
  for (NodeId n = 0; n < topology.node_count(); ++n)
    (topology.node(n).role == NodeRole::kWorker ? ws : ps).push_back(n);
  Cluster cluster(std::move(topology), ws, ps, compute, {}, 3);
  Network network(sim, cluster.topology(), 3, nullptr);
  Recorder recorder({});
  TimingOnlyLearner no_learner;
  RandomStream partition_rng(3, 0, "partition");
  StepSchedule schedule;
  schedule.eta0 = step;
  SharedMemoryModel model(f, std::vector<double>(f->dimension(), 0.0), schedule,
                          sgdsim::partition(f->terms(), cores, partition, partition_rng), 3);
  ProtocolContext ctx{sim, cluster, network, recorder, nullptr, no_learner, {}, 1.0};
  auto protocol = make_hogwild(ctx, model, settings);
  protocol->start();
  StopCondition stop;
  stop.predicate = [&] { return recorder.updates() >= updates; };
  sim.run(stop);
  return {model.parameters(),
          model.counts(),
          recorder.staleness_histogram(),
          recorder.updates(),
          recorder.round_time().count(),
          sim.now(),
          recorder.blocked_time()};
}

std::uint64_t total(const std::vector<std::uint64_t>& v) {
  std::uint64_t sum = 0;
  for (const auto x : v) sum += x;
  return sum;
}

double mean_staleness(const std::vector<std::uint64_t>& histogram) {
  double sum = 0.0, count = 0.0;
  for (std::size_t k = 0; k < histogram.size(); ++k) {
    sum += static_cast<double>(k * histogram[k]);
    count += static_cast<double>(histogram[k]);
  }
  return sum / count;
}

const LatencyDistribution kExponential =
    LatencyDistribution::make(LatencyKind::kExponential, {{"mean", 1e-3}});

}  // namespace

TEST_CASE("Omega, Delta and rho of a hand-made hypergraph equal their definitions") {
  // Edges over vertices 0..5: {0,1}, {1,2,3}, {4}, {0,5}, {4,5}.
  const auto data = with_supports({{0, 1}, {1, 2, 3}, {4}, {0, 5}, {4, 5}}, 6);
  const SparseLinearObjective f(data, LinearLoss::kHinge, 0.0);
  const SparsityMeasures m = sparsity_measures(f);
  CHECK(m.edges == 5);
  CHECK(m.omega == 3);
  // Degrees: v0 2, v1 2, v2 1, v3 1, v4 2, v5 2.
  CHECK(m.max_degree == 2);
  CHECK(m.delta == 2.0 / 5.0);
  // Neighbours, each edge its own: {0,1} meets itself, {1,2,3}, {0,5} = 3; {0,5} meets {0,1},
  // {4,5} and itself = 3; {4,5} meets {4}, {0,5} and itself = 3; {4}: 2; {1,2,3}: 2.
  CHECK(m.max_edge_degree == 3);
  CHECK(m.rho == 3.0 / 5.0);
  CHECK(m.rho_edges_examined == 5);
}

TEST_CASE("rho is 1/|E| when no two edges meet, and a tight budget examines a subset") {
  std::vector<std::vector<std::int64_t>> rows;
  for (std::int64_t i = 0; i < 100; ++i) rows.push_back({2 * i, 2 * i + 1});
  const SparseLinearObjective f(with_supports(rows, 200), LinearLoss::kHinge, 0.0);
  const SparsityMeasures all = sparsity_measures(f);
  CHECK(all.rho == 1.0 / 100.0);
  CHECK(all.delta == 1.0 / 100.0);
  const SparsityMeasures some = sparsity_measures(f, 100);
  CHECK(some.rho_edges_examined < 100);
  CHECK(some.rho_edges_examined > 0);
}

TEST_CASE("with disjoint supports, racy HOGWILD! writes lose no update") {
  std::vector<std::vector<std::int64_t>> rows;
  for (std::int64_t i = 0; i < 64; ++i) rows.push_back({3 * i, 3 * i + 1, 3 * i + 2});
  const auto f = std::make_shared<const SparseLinearObjective>(with_supports(rows, 192),
                                                               LinearLoss::kLogistic, 0.1);
  // Each core samples only its own block of terms, so no two cores share a coordinate.
  HogwildSettings s;
  s.writes = WriteSemantics::kRacy;
  const HogwildRun run = simulate(f, 8, s, 20000, PartitionKind::kContiguous, kExponential);
  CHECK(run.updates == 20000);
  CHECK(total(run.counts.lost) == 0);
  CHECK(total(run.counts.collisions) == 0);
  CHECK(total(run.counts.writes) == 3 * 20000);
  CHECK(mean_staleness(run.staleness) > 5.0);  // Stale, yet nothing overwritten.
}

TEST_CASE("with dense supports, racy writes erase exactly the staleness, P - 1 on average") {
  // Every term touches all 4 coordinates, so a write erases every write since its read: as many
  // per coordinate as its staleness, whose mean with exponential compute is P - 1.
  std::vector<std::vector<std::int64_t>> rows(32, {0, 1, 2, 3});
  const auto f = std::make_shared<const SparseLinearObjective>(with_supports(rows, 4),
                                                               LinearLoss::kLogistic, 0.0);
  HogwildSettings s;
  s.writes = WriteSemantics::kRacy;
  double previous = -1.0;
  for (const std::uint32_t cores : {1u, 2u, 4u, 8u}) {
    const HogwildRun run = simulate(f, cores, s, 40000, PartitionKind::kReplicated, kExponential);
    double staleness_sum = 0.0;
    for (std::size_t k = 0; k < run.staleness.size(); ++k)
      staleness_sum += static_cast<double>(k * run.staleness[k]);
    const double lost_per_write = static_cast<double>(total(run.counts.lost)) / (4.0 * 40000);
    INFO(cores << " cores: " << lost_per_write << " writes lost per coordinate write");
    CHECK(static_cast<double>(total(run.counts.lost)) == 4.0 * staleness_sum);
    CHECK(std::abs(lost_per_write - (cores - 1.0)) < 0.05 * cores);
    CHECK(lost_per_write > previous);
    previous = lost_per_write;
  }
}

TEST_CASE("atomic adds lose nothing where racy writes lose, on the same schedule") {
  const auto data = [] {
    RandomStream rng(5, 0, "data");
    return std::make_shared<const Dataset>(sparse_classification({400, 50, 8, 1.0, 0.0}, rng));
  }();
  const auto f = std::make_shared<const SparseLinearObjective>(data, LinearLoss::kHinge, 1e-3);
  HogwildSettings atomic, racy;
  racy.writes = WriteSemantics::kRacy;
  const HogwildRun a = simulate(f, 8, atomic, 5000, PartitionKind::kReplicated, kExponential);
  const HogwildRun r = simulate(f, 8, racy, 5000, PartitionKind::kReplicated, kExponential);
  CHECK(total(a.counts.lost) == 0);
  CHECK(total(r.counts.lost) > 0);
  // The timing does not depend on the values, so both saw the same collisions.
  CHECK(a.counts.collisions == r.counts.collisions);
  CHECK(total(a.counts.collisions) > 0);
  CHECK(a.x != r.x);
}

TEST_CASE("one HOGWILD! core is sequential SGD on its samples, bit for bit") {
  RandomStream rng(9, 0, "data");
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({200, 30, 5, 0.5, 0.0}, rng));
  const auto f = std::make_shared<const SparseLinearObjective>(data, LinearLoss::kLogistic, 1e-2);
  for (const WriteSemantics writes : {WriteSemantics::kAtomicAdd, WriteSemantics::kRacy}) {
    HogwildSettings s;
    s.writes = writes;
    const HogwildRun run = simulate(f, 1, s, 3000, PartitionKind::kReplicated, kExponential, 0.1);
    std::vector<double> x(f->dimension(), 0.0), x_e, g_e;
    RandomStream samples(3, 0, "samples");
    for (int t = 0; t < 3000; ++t) {
      const std::size_t e = samples.uniform_below(f->terms());
      f->gather(e, x, x_e);
      g_e.resize(x_e.size());
      f->gradient(e, x_e, g_e);
      const auto support = f->support(e);
      for (std::size_t k = 0; k < support.size(); ++k)
        x[static_cast<std::size_t>(support[k])] -= 0.1 * g_e[k];
    }
    CHECK(run.x == x);
    CHECK(run.staleness.size() == 1);
  }
}

TEST_CASE("a lock serialises the cores: no staleness, no collision, no speed-up") {
  RandomStream rng(4, 0, "data");
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({300, 20, 10, 1.0, 0.0}, rng));
  const auto f = std::make_shared<const SparseLinearObjective>(data, LinearLoss::kHinge, 1e-3);
  HogwildSettings s;
  s.variant = HogwildVariant::kLocked;
  s.writes = WriteSemantics::kRacy;
  const HogwildRun one = simulate(f, 1, s, 20000, PartitionKind::kReplicated, kExponential);
  const HogwildRun eight = simulate(f, 8, s, 20000, PartitionKind::kReplicated, kExponential);
  CHECK(eight.staleness.size() == 1);
  CHECK(total(eight.counts.collisions) == 0);
  CHECK(total(eight.counts.lost) == 0);
  // 20,000 updates of 1 ms each, one at a time, whatever the number of cores.
  CHECK(std::abs(to_seconds(eight.end) - 20.0) < 0.5);
  CHECK(std::abs(to_seconds(one.end) - 20.0) < 0.5);
  REQUIRE(eight.blocked.size() == 8);
  for (const SimTime b : eight.blocked) CHECK(to_seconds(b) > 15.0);  // About 7/8 of 20 s.
}

TEST_CASE("conflict-free batches never collide, even with racy writes") {
  RandomStream rng(6, 0, "data");
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({500, 200, 6, 1.2, 0.0}, rng));
  const auto f = std::make_shared<const SparseLinearObjective>(data, LinearLoss::kHinge, 1e-3);
  HogwildSettings s;
  s.variant = HogwildVariant::kConflictFree;
  s.writes = WriteSemantics::kRacy;
  s.batch = 64;
  const HogwildRun run = simulate(f, 4, s, 64 * 100, PartitionKind::kReplicated, kExponential);
  CHECK(total(run.counts.collisions) == 0);
  CHECK(total(run.counts.lost) == 0);
  CHECK(run.rounds == 100);
  HogwildSettings wild;
  wild.writes = WriteSemantics::kRacy;
  const HogwildRun lock_free = simulate(f, 4, wild, 6400, PartitionKind::kReplicated, kExponential);
  CHECK(total(lock_free.counts.collisions) > 0);
}
