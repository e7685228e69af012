// Gradients on every core, and TorchScript models against plain libtorch. Fashion-MNIST comes
// from $SGDSIM_DATA or the source tree's .cache/data (`make data`). BENCHMARKS.md has the
// commands and the figures.
//
//   BM_SoftmaxFashionThreads  asynchronous softmax regression on Fashion-MNIST, 16 workers,
//                             batches of 64: wall time on 1 thread and on 2 (`speedup`), the
//                             final models compared bit for bit.
//   BM_LenetAsync             the shipped LeNet-5 trained asynchronously by 16 workers, batches
//                             of 32: the simulator on 1 thread against a plain libtorch loop in
//                             this process computing as many batch gradients and applying them
//                             (`overhead`), and on 2 threads (`speedup`), models compared.
//   BM_LenetMemory            that run's peak resident memory beyond what was resident before
//                             it (warmed up) against versions alive x model + one gradient per
//                             worker, and the process's beyond the program and a warmed-up
//                             libtorch against that plus the data.
// This and models/torchscript.cpp are the only files that include libtorch's headers.

#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/script.h>
#include <ctime>

#include "app/learning_problem.hpp"
#include "app/scenario.hpp"
#include "bench/async_run.hpp"
#include "bench/process_memory.hpp"

using namespace sgdsim;

namespace {

const std::string kSource = SGDSIM_SOURCE_DIR;

/// A Fashion-MNIST scenario of 16 asynchronous workers training `model`, as a benchmark's input.
Scenario fashion_scenario(const std::string& model, std::uint32_t batch) {
  const std::string yaml =
      "name: bench\ncluster: {workers: 16}\ncompute: {time: 1ms}\n"
      "algorithm: {type: async, batch_size: " +
      std::to_string(batch) + ", step_size: 0.01}\nmodel: " + model +
      "\ndata: {source: fashion_mnist, max_samples: 14000}\n"
      "stop: {updates: 1}\n";
  return load_scenario_text(yaml, kSource + "/bench.yaml");
}

/// The problem of `s`, or nothing (the benchmark skipped) when the data are not there.
std::optional<LearningProblem> problem_or_skip(const Scenario& s, benchmark::State& state) {
  try {
    return build_learning_problem(s);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return std::nullopt;
  }
}

/// Wall and processor seconds of something timed; the processor's (all threads of the process)
/// are less disturbed by other tenants of a shared machine, for one-thread comparisons.
struct Timing {
  double wall = 0.0, cpu = 0.0;
};

/// Starts timing at construction; elapsed() is the Timing since.
class Stopwatch {
 public:
  Timing elapsed() const {
    return {bench::seconds_since(wall_),
            static_cast<double>(std::clock() - cpu_) / static_cast<double>(CLOCKS_PER_SEC)};
  }

 private:
  std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
  std::clock_t cpu_ = std::clock();
};

/// The time of `updates` asynchronous updates on `threads` threads; the final model in `w`.
Timing timed_run(LearningSetup setup, std::uint32_t threads, std::uint64_t updates, Vector& w) {
  setup.threads = threads;
  const Stopwatch watch;
  ModelLearner learner(std::move(setup));
  bench::simulate_async(learner, 16, 0.0, updates);
  const Timing time = watch.elapsed();
  w = learner.parameters();
  return time;
}

void BM_SoftmaxFashionThreads(benchmark::State& state) {
  const auto p = problem_or_skip(fashion_scenario("{type: softmax}", 64), state);
  if (!p) return;
  for (auto _ : state) {
    Vector one, two;
    const double t1 = timed_run(p->setup, 1, 2000, one).wall;
    const double t2 = timed_run(p->setup, 2, 2000, two).wall;
    if (one != two) state.SkipWithError("1 and 2 threads gave different models");
    state.counters["threads1_s"] = t1;
    state.counters["threads2_s"] = t2;
    state.counters["speedup"] = t1 / t2;
  }
}
BENCHMARK(BM_SoftmaxFashionThreads)->Iterations(1)->Unit(benchmark::kMillisecond);

const char* const kLenet =
    "{type: torchscript, file: scenarios/pytorch/lenet.pt, input_shape: [1, 28, 28]}";

/// Plain libtorch: the module, the training images as one float tensor, and for each of
/// `updates` steps a batch drawn at random, its mean cross-entropy, autograd's gradient and an
/// SGD step on the parameters.
Timing plain_libtorch(const Dataset& train, std::uint64_t updates, std::int64_t batch) {
  at::set_num_threads(1);
  torch::jit::Module module = torch::jit::load(kSource + "/scenarios/pytorch/lenet.pt");
  std::vector<at::Tensor> params;
  for (const at::Tensor& p : module.parameters()) params.push_back(p);
  const auto n = static_cast<std::int64_t>(train.size());
  const at::Tensor images =
      torch::from_blob(const_cast<double*>(train.dense_rows().data()), {n, 1, 28, 28}, at::kDouble)
          .to(at::kFloat);
  at::Tensor labels = at::empty({n}, at::kLong);
  for (std::int64_t i = 0; i < n; ++i)
    labels.data_ptr<std::int64_t>()[i] = static_cast<std::int64_t>(train.label(i));
  RandomStream rng(1, 0, "samples");
  const Stopwatch watch;
  at::Tensor rows = at::empty({batch}, at::kLong);
  for (std::uint64_t t = 0; t < updates; ++t) {
    for (std::int64_t b = 0; b < batch; ++b)
      rows.data_ptr<std::int64_t>()[b] =
          static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(n)));
    const at::Tensor out = module.forward({images.index_select(0, rows)}).toTensor();
    const at::Tensor loss = at::cross_entropy_loss(out, labels.index_select(0, rows));
    const std::vector<at::Tensor> grads = torch::autograd::grad({loss}, params);
    const torch::NoGradGuard no_grad;
    for (std::size_t k = 0; k < params.size(); ++k) params[k].sub_(grads[k], 0.01);
  }
  return watch.elapsed();
}

void BM_LenetAsync(benchmark::State& state) {
  const std::uint64_t updates = 400;
  const auto p = problem_or_skip(fashion_scenario(kLenet, 32), state);
  if (!p) return;
  for (auto _ : state) {
    const Timing loop = plain_libtorch(*p->train, updates, 32);
    Vector one, two;
    const Timing t1 = timed_run(p->setup, 1, updates, one);
    const double t2 = timed_run(p->setup, 2, updates, two).wall;
    if (one != two) state.SkipWithError("1 and 2 threads gave different models");
    state.counters["loop_s"] = loop.wall;
    state.counters["threads1_s"] = t1.wall;
    state.counters["threads2_s"] = t2;
    state.counters["overhead"] = t1.wall / loop.wall;
    state.counters["overhead_cpu"] = t1.cpu / loop.cpu;
    state.counters["speedup"] = t1.wall / t2;
  }
}
BENCHMARK(BM_LenetAsync)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_LenetMemory(benchmark::State& state) {
  // The program and libtorch, its kernels paged in by a few plain steps on blank images: the
  // baseline any libtorch program has before it holds data or models of its own.
  plain_libtorch(Dataset::dense(DenseRows::Zero(64, 784), Vector::Zero(64)), 20, 32);
  ::malloc_trim(0);
  const double baseline = bench::proc_status_bytes("VmRSS");
  const auto p = problem_or_skip(fashion_scenario(kLenet, 32), state);
  if (!p) return;
  ::malloc_trim(0);  // What reading the IDX files freed goes back, so it is not counted.
  const double loaded = bench::proc_status_bytes("VmRSS") - baseline;
  for (auto _ : state) {
    LearningSetup setup = p->setup;
    setup.threads = static_cast<std::uint32_t>(state.range(0));
    {
      // A short run first, so that libtorch's code and the module replicas are resident and
      // the figure is the run's own.
      ModelLearner warm_up(setup);
      bench::simulate_async(warm_up, 16, 1e-3, 20);
    }
    const double before = bench::proc_status_bytes("VmRSS");
    bench::reset_peak_rss();
    ModelLearner learner(std::move(setup));
    bench::simulate_async(learner, 16, 1e-3, 200);
    const double peak = bench::proc_status_bytes("VmHWM") - before;
    const double model = static_cast<double>(p->setup.initial.size()) * sizeof(double);
    const double versions = static_cast<double>(learner.copies_peak());
    const double expected = (versions + 16.0) * model;  // Versions alive, and 16 gradients.
    state.counters["peak_MB"] = peak / 1e6;
    state.counters["model_MB"] = model / 1e6;
    state.counters["versions_peak"] = versions;
    state.counters["expected_MB"] = expected / 1e6;
    state.counters["peak_over_expected"] = peak / expected;
    const double data =
        static_cast<double>(p->train->dense_rows().size() + p->test->dense_rows().size()) * 8.0;
    const double process = bench::proc_status_bytes("VmHWM") - baseline;
    state.counters["data_MB"] = data / 1e6;
    state.counters["loaded_MB"] = loaded / 1e6;
    state.counters["baseline_MB"] = baseline / 1e6;
    state.counters["process_peak_over_baseline_MB"] = process / 1e6;
    state.counters["process_over_expected_plus_data"] = process / (expected + data);
  }
}
BENCHMARK(BM_LenetMemory)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
