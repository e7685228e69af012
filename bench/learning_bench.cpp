// Learning benchmarks: what the simulator adds to the gradient computations it must do anyway,
// and how much memory an asynchronous run with many workers keeps. BENCHMARKS.md has the commands
// and the figures.
//
//   BM_AsyncLogisticOverhead  wall time of asynchronous SGD in the simulator (dense logistic
//                             regression, d = 10,000, 16 workers, 100,000 updates) against a
//                             plain loop computing the same number of gradients, in one process,
//                             one after the other; the ratio is the `ratio` counter.
//   BM_AsyncMemory            peak resident memory of an asynchronous run with 1,000 workers and
//                             d = 100,000, against P x d x 8 bytes (every worker with its own
//                             copy of the model).

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>

#include "bench/async_run.hpp"
#include "bench/process_memory.hpp"
#include "models/partition.hpp"
#include "models/synthetic.hpp"
#include "sim/learning/model_learner.hpp"

using namespace sgdsim;

namespace {

LearningSetup setup_for(std::shared_ptr<const Dataset> data, std::uint32_t workers) {
  LearningSetup s;
  s.train = data;
  s.objective = std::make_shared<const LinearObjective>(LinearLoss::kLogistic, 0.0);
  s.update.step.eta0 = 0.01;
  RandomStream rng(1, 0, "partition");
  s.partitions = partition(data->size(), workers, PartitionKind::kShuffled, rng);
  s.initial = Vector::Zero(static_cast<Eigen::Index>(data->features()));
  return s;
}

void BM_AsyncLogisticOverhead(benchmark::State& state) {
  const std::uint32_t workers = 16;
  const std::uint64_t updates = 100'000;
  RandomStream data_rng(1, 0, "data");
  const auto data =
      std::make_shared<const Dataset>(logistic_classification({1000, 10'000, 0.0, 0.05}, data_rng));
  const LearningSetup setup = setup_for(data, workers);
  for (auto _ : state) {
    // The plain loop: the same objective, batch of one, and update, with nothing around them.
    auto start = std::chrono::steady_clock::now();
    Vector w = setup.initial, g(w.size());
    RandomStream rng(1, 0, "samples");
    for (std::uint64_t t = 0; t < updates; ++t) {
      const std::size_t row[1] = {rng.uniform_below(data->size())};
      setup.objective->batch_gradient(*data, row, w, g);
      w -= setup.update.step.eta0 * g;
    }
    benchmark::DoNotOptimize(w.data());
    const double loop = bench::seconds_since(start);

    start = std::chrono::steady_clock::now();
    ModelLearner learner(setup);
    bench::simulate_async(learner, workers, 0.0, updates);
    benchmark::DoNotOptimize(learner.parameters().data());
    const double simulated = bench::seconds_since(start);

    state.counters["loop_s"] = loop;
    state.counters["sim_s"] = simulated;
    state.counters["ratio"] = simulated / loop;
  }
}
BENCHMARK(BM_AsyncLogisticOverhead)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_AsyncMemory(benchmark::State& state) {
  const auto workers = static_cast<std::uint32_t>(state.range(0));
  const std::size_t d = 100'000;
  RandomStream data_rng(1, 0, "data");
  // Sparse samples keep the data small, so the figure is the model's and the gradients' memory.
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({20'000, d, 20, 0.0, 0.0}, data_rng));
  for (auto _ : state) {
    const double before = bench::proc_status_bytes("VmRSS");
    bench::reset_peak_rss();
    ModelLearner learner(setup_for(data, workers));
    // Links of 1 ms keep models on the wire, so versions are held while workers compute.
    bench::simulate_async(learner, workers, 1e-3, 5'000);
    const double peak = bench::proc_status_bytes("VmHWM") - before;
    const double naive = static_cast<double>(workers) * static_cast<double>(d) * 8.0;
    state.counters["peak_MB"] = peak / 1e6;
    state.counters["PxDx8_MB"] = naive / 1e6;
    state.counters["peak_over_PxDx8"] = peak / naive;
    state.counters["shard_copies_peak"] = static_cast<double>(learner.copies_peak());
  }
}
BENCHMARK(BM_AsyncMemory)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
