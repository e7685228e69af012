// HOGWILD! benchmarks (issue 5) on the SpamAssassin hinge-loss SVM: the real threaded backend's
// time per epoch with 1 and 2 threads, the simulator's wall time per simulated update, and the
// controls that explain the speed-up. BENCHMARKS.md ("HOGWILD! benchmarks") has the commands and
// the figures.
//
//   BM_ThreadedSpamSvm/threads:P/epochs:E
//                                  one run of E epochs (n updates each, racy writes, no
//                                  instruments) per iteration on P threads, the model carried over
//                                  from run to run; times per epoch.
//   BM_SpamSvmSpeedup/epochs:E/pinned:0|1
//                                  in each iteration a run of E epochs on 1 thread, one on 2
//                                  threads and a pair of independent 1-thread runs on two private
//                                  models at once, in rotating order, so that the ratios are
//                                  measured under the same load of the shared machine; the threads
//                                  pinned to the processors (hogwild.pin_threads) or floating.
//   BM_OrderedSpamSvmSpeedup       the same with the features numbered by frequency
//                                  (hogwild.feature_order: by_frequency).
//   BM_SkewFreeSvmSpeedup          the same on a skew-free copy of the data: every email's values
//                                  on as many columns drawn uniformly, so no feature is common.
//   BM_DisjointSvmSpeedup          the same on a skew-free copy whose two halves of rows use two
//                                  halves of the columns, each of the 2 threads sampling one half
//                                  of the rows: the threads share no cache line of the model.
//   BM_CacheLineHandoff            the time to move a cache line from one core to the other (also
//                                  measured in every iteration of the three above).
//   BM_ThreadedSpamSvmCounted/data:D
//                                  2 threads with the instruments on: conflicts, lost writes and
//                                  staleness per update, on the emails (D = 0), the skew-free copy
//                                  (1) and the disjoint copy (2).
//   BM_SimulatedSpamSvm/cores:C    simulated HOGWILD! (make_hogwild, racy writes) on the same
//                                  objective, n simulated updates per iteration.
//
// With --spam_export=DIR the program runs no benchmark: it writes the split it trains on to
// DIR/spam_train.svm and DIR/spam_test.svm (LIBSVM) for bench/sklearn_spam.py, trains E epochs
// with 1 and 2 threads several times, and prints the time per epoch and the test accuracy;
// --feature_order=by_frequency exports and trains on the features numbered by frequency.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hogwild/threaded_hogwild.hpp"
#include "models/email_corpus.hpp"
#include "models/feature_order.hpp"
#include "models/libsvm.hpp"
#include "models/partition.hpp"
#include "models/sparse_objective.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/protocols/hogwild.hpp"

using namespace sgdsim;

namespace {

// The problem, the same on both sides of the comparison with scikit-learn.
/// Hashed word columns: load_spam_assassin's default, as the issue asks.
constexpr std::size_t kHashedFeatures = 65536;
constexpr double kTestFraction = 0.2;  ///< `sgdsim run`'s default data.test_fraction.
constexpr std::uint64_t kSeed = 1;     ///< `sgdsim run`'s default seed.
/// Small, so that the per-feature regulariser of a feature only one email has, which shrinks it by
/// eta n l2 (0.1 here) in one update, stays far from 1 (where it would overshoot).
constexpr double kL2 = 1e-4;
/// A constant step (the rows have unit norm), which SGDClassifier also offers
/// (learning_rate="constant"). Of 0.01, 0.02, 0.05, 0.1, 0.2, 0.5 and 1, 0.2 gave the lowest
/// training objective after 10 epochs, on both sides, and a test accuracy of 0.989 on both.
constexpr double kStep = 0.2;
constexpr int kEpochs = 10;  ///< Epochs of the accuracy comparison.

/// The training and test sides of the SpamAssassin SVM.
struct SpamSvm {
  std::shared_ptr<const Dataset> train, test;
  std::shared_ptr<const SparseLinearObjective> objective;       ///< On the training rows.
  std::shared_ptr<const SparseLinearObjective> test_objective;  ///< On the test rows.
  std::shared_ptr<const SparseLinearObjective> skew_free;       ///< See skew_free_copy.
  std::shared_ptr<const SparseLinearObjective> disjoint;        ///< skew_free_copy's halves.
  /// The training rows with the features renumbered by frequency (hogwild.feature_order:
  /// by_frequency).
  std::shared_ptr<const SparseLinearObjective> ordered;
  std::string error;  ///< Why the data could not be loaded (empty when they were).
};

/// The cache folder `make data` fills: $SGDSIM_DATA when set, as in scripts/fetch-data.sh.
std::filesystem::path data_folder() {
  if (const char* env = std::getenv("SGDSIM_DATA"); env && *env) return env;
  return std::filesystem::path(SGDSIM_SOURCE_DIR) / ".cache" / "data";
}

/// The rows of `data` with the same values, labels and number of non-zeros, but each row's
/// columns drawn uniformly (without repeats): the skew of the words is gone, so two updates rarely
/// share a coordinate, while the work per update stays what it was. With `halves`, the rows of the
/// first half draw their columns from the first half of the columns and the other rows from the
/// other half, so two threads that each sample one half of the rows share no coordinate and no
/// cache line of the model (but one, where the halves meet).
std::shared_ptr<const Dataset> skew_free_copy(const Dataset& data, bool halves) {
  const SparseRows& rows = data.sparse_rows();
  RandomStream rng(kSeed, halves ? 1 : 0, "skew-free");
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  entries.reserve(static_cast<std::size_t>(rows.nonZeros()));
  std::vector<std::int64_t> columns;
  const std::size_t d = data.features(), width = halves ? d / 2 : d;
  for (Eigen::Index i = 0; i < rows.rows(); ++i) {
    const auto begin = rows.outerIndexPtr()[i], end = rows.outerIndexPtr()[i + 1];
    const std::size_t first = halves && static_cast<std::size_t>(i) >= data.size() / 2 ? d / 2 : 0;
    columns.clear();
    while (columns.size() < static_cast<std::size_t>(end - begin)) {
      const auto c = static_cast<std::int64_t>(first + rng.uniform_below(width));
      if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
    }
    for (auto k = begin; k < end; ++k)
      entries.emplace_back(i, columns[static_cast<std::size_t>(k - begin)], rows.valuePtr()[k]);
  }
  SparseRows x(rows.rows(), rows.cols());
  x.setFromTriplets(entries.begin(), entries.end());
  return std::make_shared<const Dataset>(Dataset::sparse(std::move(x), data.labels()));
}

/// The corpus, its split, and the objectives on it (or why they could not be made).
SpamSvm load_spam_svm() {
  SpamSvm s;
  const std::filesystem::path folder = data_folder();
  if (!std::filesystem::exists(spam_assassin_index(folder))) {
    s.error =
        fmt::format("{} is missing: run `make data` first", spam_assassin_index(folder).string());
    return s;
  }
  const Dataset all = load_spam_assassin(folder, kHashedFeatures);
  // The split `sgdsim run` makes of data.source spam_assassin with seed 1 and test_fraction 0.2:
  // a Fisher-Yates shuffle by the stream (1, 0, "split"), its first 20% the test rows, both
  // sides in the corpus's order (file_list.json's).
  RandomStream split_rng(kSeed, 0, "split");
  const Split split = train_test_split(all.size(), kTestFraction, split_rng);
  s.train = std::make_shared<const Dataset>(all.subset(split.train));
  s.test = std::make_shared<const Dataset>(all.subset(split.test));
  s.objective = std::make_shared<const SparseLinearObjective>(s.train, LinearLoss::kHinge, kL2);
  s.test_objective = std::make_shared<const SparseLinearObjective>(s.test, LinearLoss::kHinge, kL2);
  s.skew_free = std::make_shared<const SparseLinearObjective>(skew_free_copy(*s.train, false),
                                                              LinearLoss::kHinge, kL2);
  s.disjoint = std::make_shared<const SparseLinearObjective>(skew_free_copy(*s.train, true),
                                                             LinearLoss::kHinge, kL2);
  s.ordered = std::make_shared<const SparseLinearObjective>(
      std::make_shared<const Dataset>(renumber_features(*s.train, frequency_order(*s.train))),
      LinearLoss::kHinge, kL2);
  return s;
}

/// Loaded once, by the first benchmark that asks, and shared by all.
const SpamSvm& spam() {
  static const SpamSvm s = load_spam_svm();
  return s;
}

/// Settings of a speed run: `updates` racy updates on `threads` threads, instruments off.
ThreadedSettings settings_for(std::size_t threads, std::uint64_t updates, std::uint64_t seed,
                              double step = kStep) {
  ThreadedSettings s;
  s.threads = threads;
  s.writes = WriteSemantics::kRacy;
  s.step.kind = StepSchedule::Kind::kConstant;
  s.step.eta0 = step;
  s.updates = updates;
  s.seed = seed;
  return s;
}

/// Wall seconds since `start`.
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// How busy the machine was besides this process, from construction to report(): the machine is
/// shared, and a 2-thread run on 2 cores says nothing of the backend while something else runs.
class OtherLoad {
 public:
  OtherLoad() : start_(sample()) {}

  /// Sets the counters `others_cores` (CPU time of every other process and the kernel's work for
  /// them, from /proc/stat, per wall second) and `steal_cores` (time the hypervisor gave our
  /// virtual CPUs to others).
  void report(benchmark::State& state) const {
    const Sample end = sample();
    const double wall = std::chrono::duration<double>(end.wall - start_.wall).count();
    state.counters["others_cores"] = (end.busy - start_.busy - (end.self - start_.self)) / wall;
    state.counters["steal_cores"] = (end.steal - start_.steal) / wall;
  }

 private:
  struct Sample {
    double busy = 0.0, steal = 0.0, self = 0.0;  ///< CPU seconds.
    std::chrono::steady_clock::time_point wall;
  };

  static Sample sample() {
    Sample s;
    s.wall = std::chrono::steady_clock::now();
    // The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ...", in
    // clock ticks summed over the CPUs.
    std::ifstream stat("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    s.busy = (user + nice + system + irq + softirq) * tick;
    s.steal = steal * tick;
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    s.self = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
             1e-6 * static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec);
    return s;
  }

  Sample start_;
};

/// Terms 0 to n / 2 - 1 for thread 0, the others for thread 1: with the disjoint copy, the
/// threads then share no coordinate.
std::vector<std::vector<std::size_t>> halves_partition(std::size_t n) {
  std::vector<std::vector<std::size_t>> partition(2);
  for (std::size_t e = 0; e < n; ++e) partition[e < n / 2 ? 0 : 1].push_back(e);
  return partition;
}

/// The wall time of a run: of the whole call, and of the updates alone (run_threaded_hogwild's own
/// clock, from the threads' first meeting to their last: no thread start or join).
struct RunTime {
  double call = 0.0, updating = 0.0;
  RunTime& operator+=(const RunTime& o) {
    call += o.call;
    updating += o.updating;
    return *this;
  }
};

/// `epochs` epochs of `f` in one run on `threads` threads from `x`, which it leaves at the result.
/// The threads sample every term, or their own list of `partition` when it is not empty.
/// The threads are pinned to `cpus` (thread t to cpus[t mod size]), or float when it is empty.
RunTime run_epochs(const SparseObjective& f, std::vector<double>& x, std::size_t threads,
                   std::uint64_t epochs, std::uint64_t seed,
                   const std::vector<std::vector<std::size_t>>& partition = {},
                   const std::vector<unsigned>& cpus = {}) {
  ThreadedSettings s = settings_for(threads, epochs * f.terms(), seed);
  s.partition = partition;
  s.cpus = cpus;
  const auto start = std::chrono::steady_clock::now();
  ThreadedResult r = run_threaded_hogwild(f, std::move(x), s, {});
  const RunTime t{seconds_since(start), r.wall_seconds};
  x = std::move(r.x);
  return t;
}

// Why runs of 10 epochs as well as of 1: each run starts new threads, which the kernel may place
// on either core, so a thread often starts with its share of the model, and of the data, in the
// other core's caches. In a 1-epoch run (5 ms) that start costs a good part of the time; over 10
// epochs it fades, and what is left is the steady state.

void BM_ThreadedSpamSvm(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  const auto threads = static_cast<std::size_t>(state.range(0));
  const auto epochs = static_cast<std::uint64_t>(state.range(1));
  const std::size_t n = d.objective->terms();
  std::vector<double> x(d.objective->dimension(), 0.0);
  std::uint64_t seed = kSeed;
  RunTime sum;
  const OtherLoad load;
  const std::vector<unsigned> cpus = available_cpus();  // Pinned (hogwild.pin_threads: true).
  for (auto _ : state) sum += run_epochs(*d.objective, x, threads, epochs, seed++, {}, cpus);
  load.report(state);
  const double runs_epochs = static_cast<double>(state.iterations() * epochs);
  state.counters["epoch_ms"] = 1e3 * sum.call / runs_epochs;
  state.counters["updating_ms"] = 1e3 * sum.updating / runs_epochs;
  state.counters["updates_per_s"] = static_cast<double>(n) * runs_epochs / sum.call;
  state.counters["ns_per_update"] = 1e9 * sum.call / (static_cast<double>(n) * runs_epochs);
}
BENCHMARK(BM_ThreadedSpamSvm)
    ->ArgNames({"threads", "epochs"})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({1, 10})
    ->Args({2, 10})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// Two 1-thread runs at once, each on its own model: what two cores give when the threads share
/// nothing but the (read-only) data. Returns the wall time until both are done.
/// Pinned (`cpus` not empty), run a is on cpus[0] and run b on cpus[1].
double independent_pair(const SparseObjective& f, std::vector<double>& a, std::vector<double>& b,
                        std::uint64_t epochs, std::uint64_t seed,
                        const std::vector<unsigned>& cpus) {
  const auto one_cpu = [&cpus](std::size_t i) {
    return cpus.empty() ? std::vector<unsigned>{} : std::vector<unsigned>{cpus[i % cpus.size()]};
  };
  const auto start = std::chrono::steady_clock::now();
  {
    std::jthread other([&] { run_epochs(f, b, 1, epochs, seed + 1'000'000, {}, one_cpu(1)); });
    run_epochs(f, a, 1, epochs, seed, {}, one_cpu(0));
  }
  return seconds_since(start);
}

/// The wall time, in nanoseconds, of handing one cache line from one core to the other: two
/// threads, pinned to CPUs 0 and 1, take turns incrementing a counter, each spinning until the
/// other has made its increment. What a racy update pays, per coordinate, when the other core
/// wrote the coordinate's line last. It depends on where the host puts the two virtual CPUs (on
/// two cores that share an L3 cache, or not), which can change from one minute to the next.
double line_handoff_ns(std::uint64_t handoffs) {
  alignas(64) std::atomic<std::uint64_t> turn{0};
  alignas(64) std::atomic<int> ready{0};
  double seconds = 0.0;
  const auto player = [&](int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    ready.fetch_add(1);
    while (ready.load() < 2) {
    }
    const auto start = std::chrono::steady_clock::now();
    for (auto k = static_cast<std::uint64_t>(cpu); k < handoffs; k += 2) {
      while (turn.load(std::memory_order_acquire) != k) __builtin_ia32_pause();
      turn.store(k + 1, std::memory_order_release);
    }
    if (cpu == 0) seconds = seconds_since(start);
  };
  { std::jthread a(player, 0), b(player, 1); }
  return 1e9 * seconds / static_cast<double>(handoffs);
}

void BM_CacheLineHandoff(benchmark::State& state) {
  std::vector<double> ns;
  const OtherLoad load;
  for (auto _ : state) ns.push_back(line_handoff_ns(100'000));
  load.report(state);
  std::sort(ns.begin(), ns.end());
  state.counters["handoff_ns"] = ns[ns.size() / 2];
}
BENCHMARK(BM_CacheLineHandoff)->UseRealTime()->Unit(benchmark::kMillisecond);

/// A run on 1 thread, one on 2 threads and an independent pair of 1-thread runs in each
/// iteration, each of range(0) epochs, in an order that rotates with the iteration so that none
/// always runs first. With `halves`, each of the 2 threads samples its own half of the terms (the
/// first n / 2, the others).
void speedup(benchmark::State& state, const SparseObjective& f, bool halves) {
  const std::size_t n = f.terms();
  const auto epochs = static_cast<std::uint64_t>(state.range(0));
  const std::vector<unsigned> cpus =
      state.range(1) != 0 ? available_cpus() : std::vector<unsigned>{};
  const std::vector<std::vector<std::size_t>> partition =
      halves ? halves_partition(n) : std::vector<std::vector<std::size_t>>{};
  std::vector<double> x1(f.dimension(), 0.0), x2 = x1, xa = x1, xb = x1;
  RunTime one, two;
  double pair = 0.0;
  std::uint64_t seed = kSeed;
  std::vector<double> handoff;
  const OtherLoad load;
  for (auto _ : state) {
    // Measured in every iteration, so each repetition's speed-up can be set against the cost of
    // moving a line between the cores at the time (see line_handoff_ns).
    handoff.push_back(line_handoff_ns(20'000));
    for (int k = 0; k < 3; ++k) {
      switch ((seed + static_cast<std::uint64_t>(k)) % 3) {
        case 0:
          one += run_epochs(f, x1, 1, epochs, seed, {}, cpus);
          break;
        case 1:
          two += run_epochs(f, x2, 2, epochs, seed, partition, cpus);
          break;
        default:
          pair += independent_pair(f, xa, xb, epochs, seed, cpus);
      }
    }
    ++seed;
  }
  load.report(state);
  std::sort(handoff.begin(), handoff.end());
  state.counters["handoff_ns"] = handoff[handoff.size() / 2];
  const double runs_epochs = static_cast<double>(state.iterations() * epochs);
  state.counters["one_thread_ms"] = 1e3 * one.call / runs_epochs;
  state.counters["two_threads_ms"] = 1e3 * two.call / runs_epochs;
  state.counters["speedup"] = one.call / two.call;
  // The same from the backend's own clock, which leaves out starting and joining the threads.
  state.counters["updating_speedup"] = one.updating / two.updating;
  // The pair makes twice the updates in `pair`: as fast as two cores go without sharing.
  state.counters["pair_speedup"] = 2.0 * one.call / pair;
  state.counters["ns_per_update_1"] = 1e9 * one.call / (static_cast<double>(n) * runs_epochs);
  state.counters["ns_per_update_2"] = 1e9 * two.call / (static_cast<double>(n) * runs_epochs);
}

/// Runs of 1 and of 10 epochs, with the threads pinned (hogwild.pin_threads: true) and floating,
/// for at least a second of each.
void speedup_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"epochs", "pinned"})
      ->ArgsProduct({{1, 10}, {1, 0}})
      ->MinTime(1.0)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

void BM_SpamSvmSpeedup(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  speedup(state, *d.objective, false);
}
BENCHMARK(BM_SpamSvmSpeedup)->Apply(speedup_args);

void BM_OrderedSpamSvmSpeedup(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  speedup(state, *d.ordered, false);
}
BENCHMARK(BM_OrderedSpamSvmSpeedup)->Apply(speedup_args);

void BM_SkewFreeSvmSpeedup(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  speedup(state, *d.skew_free, false);
}
BENCHMARK(BM_SkewFreeSvmSpeedup)->Apply(speedup_args);

void BM_DisjointSvmSpeedup(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  speedup(state, *d.disjoint, true);
}
BENCHMARK(BM_DisjointSvmSpeedup)->Apply(speedup_args);

/// What the two threads do to each other, counted (instrumented runs are slower: these runs say
/// how often updates collide, not how fast they go). Arg 0: the emails, 1: the skew-free copy,
/// 2: the disjoint copy, each thread on its half.
void BM_ThreadedSpamSvmCounted(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  const SparseObjective& f = state.range(0) == 0   ? *d.objective
                             : state.range(0) == 1 ? *d.skew_free
                                                   : *d.disjoint;
  std::vector<double> x(f.dimension(), 0.0);
  std::uint64_t seed = kSeed, updates = 0, conflicts = 0, lost = 0, stale = 0, nonzeros = 0;
  for (auto _ : state) {
    ThreadedSettings s = settings_for(2, f.terms(), seed++);
    s.instrument = true;
    if (state.range(0) == 2) s.partition = halves_partition(f.terms());
    ThreadedResult r = run_threaded_hogwild(f, std::move(x), s, {});
    x = std::move(r.x);
    updates += r.updates;
    conflicts += r.conflicts;
    lost += r.lost_updates;
    for (std::size_t k = 0; k < r.staleness_histogram.size(); ++k)
      stale += k * r.staleness_histogram[k];
    for (const std::uint64_t w : r.coordinate_writes) nonzeros += w;
  }
  const auto u = static_cast<double>(updates);
  state.counters["coordinates_per_update"] = static_cast<double>(nonzeros) / u;
  state.counters["conflicts_per_update"] = static_cast<double>(conflicts) / u;
  state.counters["lost_per_update"] = static_cast<double>(lost) / u;
  state.counters["staleness_mean"] = static_cast<double>(stale) / u;
}
BENCHMARK(BM_ThreadedSpamSvmCounted)
    ->ArgName("data")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(20)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// Simulated HOGWILD! on the same objective with C cores, built as tests/test_hogwild_sim.cpp's
/// `simulate` helper builds it: a star of free links, one event per update. The simulated costs
/// are scenarios/hogwild/sparse_svm.yaml's; they decide what the cores see of each other, not
/// how much wall time the simulator spends per update.
void BM_SimulatedSpamSvm(benchmark::State& state) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) return state.SkipWithError(d.error.c_str());
  const auto cores = static_cast<std::uint32_t>(state.range(0));
  const std::uint64_t n = d.objective->terms();
  Simulator sim;
  const LinkInfo free_link{LatencyDistribution(), std::numeric_limits<double>::infinity(), 0};
  Topology topology = Cluster::star(cores, 1, free_link);
  std::vector<NodeId> ps, ws;
  for (NodeId node = 0; node < topology.node_count(); ++node)
    (topology.node(node).role == NodeRole::kWorker ? ws : ps).push_back(node);
  Cluster cluster(std::move(topology), ws, ps,
                  LatencyDistribution::make(LatencyKind::kShiftedExponential,
                                            {{"shift", 400e-9}, {"mean", 200e-9}}),
                  {}, kSeed);
  Network network(sim, cluster.topology(), kSeed, nullptr);
  Recorder recorder({});
  TimingOnlyLearner no_learner;
  RandomStream partition_rng(kSeed, 0, "partition");
  StepSchedule step;
  step.eta0 = kStep;
  // Every core samples every term, as the threads of BM_ThreadedSpamSvm do.
  SharedMemoryModel model(d.objective, std::vector<double>(d.objective->dimension(), 0.0), step,
                          partition(n, cores, PartitionKind::kReplicated, partition_rng), kSeed);
  ProtocolContext ctx{sim, cluster, network, recorder, nullptr, no_learner, {}, 1.0};
  HogwildSettings settings;
  settings.writes = WriteSemantics::kRacy;
  settings.read_cost = from_seconds(5e-9);
  settings.write_cost = from_seconds(10e-9);
  auto protocol = make_hogwild(ctx, model, settings);
  protocol->start();
  std::uint64_t target = 0;
  StopCondition stop;
  stop.predicate = [&] { return recorder.updates() >= target; };
  double wall = 0.0;
  const OtherLoad load;
  for (auto _ : state) {
    target += n;
    const auto start = std::chrono::steady_clock::now();
    sim.run(stop);
    wall += seconds_since(start);
  }
  load.report(state);
  const auto updates = static_cast<double>(recorder.updates());
  const CoordinateTotals t = totals(model.counts());
  state.counters["wall_ns_per_update"] = 1e9 * wall / updates;
  state.counters["updates_per_s"] = updates / wall;
  state.counters["conflicts_per_update"] = static_cast<double>(t.collisions) / updates;
  state.counters["lost_per_update"] = static_cast<double>(t.lost) / updates;
}
BENCHMARK(BM_SimulatedSpamSvm)
    ->ArgName("cores")
    ->Arg(2)
    ->Arg(16)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

/// The value of flag `--name=VALUE` in argv, removed from it; `fallback` when absent.
std::string take_flag(int& argc, char** argv, std::string_view name, std::string fallback) {
  const std::string prefix = fmt::format("--{}=", name);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with(prefix)) continue;
    fallback = std::string(arg.substr(prefix.size()));
    std::copy(argv + i + 1, argv + argc, argv + i);
    --argc;
    break;
  }
  return fallback;
}

/// The median of `v` (not empty).
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/// --spam_export=DIR: writes the split and prints the C++ side's figures (see the file comment).
int export_and_train(const std::filesystem::path& dir, int epochs, int reps, double step, double l2,
                     bool by_frequency) {
  const SpamSvm& d = spam();
  if (!d.error.empty()) {
    fmt::print(stderr, "{}\n", d.error);
    return 66;
  }
  std::shared_ptr<const Dataset> train = d.train, test = d.test;
  if (by_frequency) {  // As hogwild.feature_order: by_frequency numbers them.
    const std::vector<std::uint32_t> order = frequency_order(*d.train);
    train = std::make_shared<const Dataset>(renumber_features(*d.train, order));
    test = std::make_shared<const Dataset>(renumber_features(*d.test, order));
  }
  const SparseLinearObjective f(train, LinearLoss::kHinge, l2);
  const SparseLinearObjective f_test(test, LinearLoss::kHinge, l2);
  std::filesystem::create_directories(dir);
  for (const auto& [name, data] : {std::pair{"spam_train.svm", train}, {"spam_test.svm", test}}) {
    std::ofstream out(dir / name);
    write_libsvm(out, *data);
    if (!out.flush()) {
      fmt::print(stderr, "cannot write {}\n", (dir / name).string());
      return 74;
    }
  }
  const SparseRows& rows = train->sparse_rows();
  fmt::print("train {} rows, test {} rows, {} columns ({}), {:.1f} non-zeros per training row\n",
             train->size(), test->size(), train->features(),
             by_frequency ? "numbered by frequency" : "as hashed",
             static_cast<double>(rows.nonZeros()) / static_cast<double>(rows.rows()));
  fmt::print("wrote {} and {}\n", (dir / "spam_train.svm").string(),
             (dir / "spam_test.svm").string());
  fmt::print("hinge loss, l2 {}, constant step {}, {} epochs of {} updates, racy writes\n", l2,
             step, epochs, f.terms());
  const std::uint64_t updates = static_cast<std::uint64_t>(epochs) * f.terms();
  // Interleaved (1, 2, 1, 2, ...): the machine is shared, and load changes between runs.
  std::vector<double> seconds[3], accuracy[3], objective[3];
  for (int rep = 0; rep < reps; ++rep)
    for (const std::size_t threads : {1u, 2u}) {
      std::vector<double> x(f.dimension(), 0.0);
      const auto start = std::chrono::steady_clock::now();
      ThreadedSettings settings = settings_for(threads, updates, kSeed + rep, step);
      settings.cpus = available_cpus();  // Pinned (hogwild.pin_threads: true).
      const ThreadedResult r = run_threaded_hogwild(f, std::move(x), settings, {});
      seconds[threads].push_back(seconds_since(start) / epochs);
      accuracy[threads].push_back(f_test.accuracy(r.x));
      objective[threads].push_back(f.mean_loss(r.x));
      fmt::print(
          "  rep {} threads {}: {:.3f} ms per epoch, test accuracy {:.4f}, training "
          "objective {:.5f}\n",
          rep, threads, 1e3 * seconds[threads].back(), accuracy[threads].back(),
          objective[threads].back());
    }
  for (const std::size_t threads : {1u, 2u})
    fmt::print(
        "threads {}: median {:.3f} ms per epoch (whole run / {}), test accuracy {:.4f} "
        "(min {:.4f}, max {:.4f}), training objective {:.5f}\n",
        threads, 1e3 * median(seconds[threads]), epochs, median(accuracy[threads]),
        *std::min_element(accuracy[threads].begin(), accuracy[threads].end()),
        *std::max_element(accuracy[threads].begin(), accuracy[threads].end()),
        median(objective[threads]));
  fmt::print("speed-up of the medians: {:.3f}\n", median(seconds[1]) / median(seconds[2]));
  fmt::print(
      "scikit-learn side: /usr/bin/python3 bench/sklearn_spam.py --dir {} --epochs {} "
      "--alpha {} --eta0 {}\n",
      dir.string(), epochs, l2, step);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = take_flag(argc, argv, "spam_export", "");
  const int epochs = std::stoi(take_flag(argc, argv, "epochs", std::to_string(kEpochs)));
  const int reps = std::stoi(take_flag(argc, argv, "reps", "5"));
  // Step and l2 may be changed here to compare settings; the benchmarks keep kStep and kL2.
  const double step = std::stod(take_flag(argc, argv, "step", fmt::format("{}", kStep)));
  const double l2 = std::stod(take_flag(argc, argv, "l2", fmt::format("{}", kL2)));
  const std::string order = take_flag(argc, argv, "feature_order", "as_read");
  if (order != "as_read" && order != "by_frequency") {
    fmt::print(stderr, "--feature_order={}: as_read or by_frequency\n", order);
    return 64;
  }
  if (!dir.empty()) return export_and_train(dir, epochs, reps, step, l2, order == "by_frequency");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
