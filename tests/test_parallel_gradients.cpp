// Gradients computed on several threads while the event loop goes on: every output is the same
// bits as on one thread, for every strategy, and the task runner runs each task exactly once.

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>

#include "sim/learning/parallel_tasks.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

/// A small softmax run of `algorithm`: batches of 8 on real arithmetic, stragglers, two shards
/// where the strategy has parameter nodes, and latency, so that many tasks overlap.
std::string scenario(const std::string& algorithm, bool sharded) {
  return std::string("name: parallel\nseed: 3\ncluster: {workers: 6") +
         (sharded ? ", parameter_nodes: 2" : "") +
         "}\ncompute: {time: {dist: straggler, base: {dist: exponential, mean: 1ms}, p: 0.2, "
         "factor: 6}}\nnetwork: {latency: {dist: exponential, mean: 200us}}\nalgorithm: " +
         algorithm.substr(0, algorithm.size() - 1) +
         ", batch_size: 8}\nmodel: {type: softmax}\ndata: {source: blobs, samples: 300, "
         "features: 10, classes: 4}\nstop: {updates: 200, time: 2s}\n";
}
}  // namespace

TEST_CASE("a learning run writes the same bytes on 1, 2 and 3 threads, for every kind of task") {
  // Preemption (k_sync), batches on after a push (k_batch_sync), pushes before the model
  // returns (ssp), local steps, whole partitions, coordinate blocks, compression's own streams,
  // and a ring.
  for (const auto& [algorithm, sharded] : std::vector<std::pair<std::string, bool>>{
           {"{type: sync}", true},
           {"{type: async}", true},
           {"{type: k_sync, k: 3}", false},
           {"{type: k_batch_sync, k: 4}", true},
           {"{type: ssp, staleness_bound: 2}", true},
           {"{type: async, compression: qsgd}", false},
           {"{type: backup, backup_workers: 2, compression: topk}", false},
           {"{type: local_sgd, local_steps: 3}", false},
           {"{type: full_batch}", true},
           {"{type: coordinate_parallel}", false},
           {"{type: all_reduce}", false},
       }) {
    DYNAMIC_SECTION(algorithm) {
      TempDir dir;
      const std::string yaml = scenario(algorithm, sharded);
      const auto one = run_yaml(dir, yaml, "one", {}, 1);
      for (const std::uint32_t threads : {2u, 3u}) {
        const auto many = run_yaml(dir, yaml, "t" + std::to_string(threads), {}, threads);
        INFO("on " << threads << " threads");
        CHECK(differing_outputs(one, many) == std::vector<std::string>{});
      }
    }
  }
}

TEST_CASE("the task runner runs every task once, on any thread, and passes on what it throws") {
  for (const std::size_t threads : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> runs(64);
    std::atomic<int> on_other_threads = 0;
    ParallelTasks tasks(threads, runs.size(), [&](std::size_t task, std::size_t thread) {
      ++runs[task];
      if (thread != 0) ++on_other_threads;
    });
    for (int round = 0; round < 50; ++round) {
      for (std::size_t t = 0; t < runs.size(); ++t) tasks.start(t);
      // Waited for in another order than started, as pushes come back.
      for (std::size_t t = runs.size(); t-- > 0;) tasks.wait(t);
    }
    for (const auto& r : runs) CHECK(r == 50);
    if (threads == 1) CHECK(on_other_threads == 0);
  }
  ParallelTasks failing(2, 1, [](std::size_t, std::size_t) { throw std::runtime_error("boom"); });
  failing.start(0);
  CHECK_THROWS_WITH(failing.wait(0), "boom");
}
