// Ring all-reduce: the bytes each link carries, the length of a round, and the same learning as
// synchronous SGD through a parameter node.

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

TEST_CASE("ring all-reduce moves 2(P - 1)/P of the model across each link per round") {
  // Constant 1 ms compute and 1 MB/s links: every worker finishes a round at the same instant,
  // and the run stops half-way through the eleventh round's compute, after exactly ten rounds.
  TempDir dir;
  for (int p : {2, 4, 5}) {
    const double model_bytes = 1000 * 4;
    const double round_ms = 1.0 + 2.0 * (p - 1) * model_bytes / p / 1e3;
    const auto j = summary(run_yaml(
        dir,
        "cluster: {workers: " + std::to_string(p) +
            "}\ncompute: {time: {dist: constant, value: 1ms}}\nnetwork: {bandwidth: 1MB/s}\n"
            "model: {dimension: 1000}\nalgorithm: {type: all_reduce}\nstop: {time: " +
            std::to_string(10 * round_ms + 0.5) + "ms}\n",
        "p" + std::to_string(p)));
    INFO("P = " << p);
    REQUIRE(j["updates"] == 10);
    // Two workers share one link, which carries both directions.
    const double per_link = (p == 2 ? 2 : 1) * 2.0 * (p - 1) / p * model_bytes;
    REQUIRE(j["network"]["links"].size() == std::size_t(p == 2 ? 1 : p));
    for (const auto& link : j["network"]["links"]) CHECK(double(link["bytes"]) == 10 * per_link);
    CHECK(j["parameter_nodes"] == 0);
  }
}

TEST_CASE("a ring all-reduce round lasts the compute time plus 2(P - 1) chunk transfers") {
  // Constant 1 ms compute, a 4,000-byte model in chunks of 1,000 bytes at 1 MB/s: 1 ms a step.
  TempDir dir;
  const auto j = summary(run_yaml(dir,
                                  "cluster: {workers: 4}\ncompute: {time: {dist: constant, value: "
                                  "1ms}}\nnetwork: {bandwidth: 1MB/s}\nmodel: {dimension: 1000}\n"
                                  "algorithm: {type: all_reduce}\nstop: {updates: 20}\n"));
  CHECK(double(j["iteration_time_s"]["mean"]) == Approx(1e-3 + 6e-3).epsilon(1e-12));
}

TEST_CASE("ring all-reduce learns exactly what synchronous SGD through a parameter node learns") {
  const Override often{"output.metrics_every=10"};
  TempDir dir;
  const auto sync = run_yaml(dir, kJitteryLearning, "sync", {often});
  const auto ring = run_yaml(dir, kJitteryLearning, "ring", {often, {"algorithm.type=all_reduce"}});
  for (const char* column : {"update", "train_loss", "test_loss", "test_accuracy"}) {
    INFO(column);
    CHECK(csv_column(sync / "metrics.csv", column) == csv_column(ring / "metrics.csv", column));
  }
  // The timing is the ring's own.
  CHECK(csv_column(sync / "metrics.csv", "sim_time_s") !=
        csv_column(ring / "metrics.csv", "sim_time_s"));
}
