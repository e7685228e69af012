// Rounds that wait for the first K of P gradients: K-sync and backup workers.

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

std::string cluster(int workers, const std::string& algorithm) {
  return "cluster: {workers: " + std::to_string(workers) +
         "}\ncompute: {time: {dist: exponential, mean: 1ms}}\nalgorithm: " + algorithm +
         "\nstop: {updates: 20000}\noutput: {trace: false, updates: false}\n";
}

}  // namespace

TEST_CASE("a K-sync round lasts (H_P - H_{P-K}) / mu on average") {
  TempDir dir;
  for (int k : {1, 4, 7}) {
    const auto j = summary(run_yaml(dir, cluster(8, "{type: k_sync, k: " + std::to_string(k) + "}"),
                                    "k" + std::to_string(k)));
    const double mean = j["iteration_time_s"]["mean"];
    const double se = j["iteration_time_s"]["standard_error"];
    const double expected = (harmonic(8) - harmonic(8 - k)) * 1e-3;
    INFO("K = " << k << ": mean " << mean << " expected " << expected << " s.e. " << se);
    CHECK(std::abs(mean - expected) < 3.0 * se);
    CHECK(j["gradients"] == 20000 * k);
  }
}

TEST_CASE("backup workers: rounds of H_{N+b} - H_b and a fraction b / (N+b) dropped") {
  // N = 6 needed of N + b = 8 workers, Exp(1 ms) compute.
  TempDir dir;
  const auto run = run_yaml(dir, cluster(8, "{type: backup, backup_workers: 2}"));
  const auto j = summary(run);
  const double mean = j["iteration_time_s"]["mean"];
  const double se = j["iteration_time_s"]["standard_error"];
  CHECK(std::abs(mean - (harmonic(8) - harmonic(2)) * 1e-3) < 3.0 * se);
  const double used = j["gradients"], dropped = j["gradients_dropped"];
  CHECK(dropped / (used + dropped) == Approx(2.0 / 8.0));
  for (double d : csv_column(run / "rounds.csv", "dropped")) CHECK(d == 2.0);
}

TEST_CASE("K-sync with K = P and backup with b = 0 are plain synchronous SGD, byte for byte") {
  const std::string learning =
      "cluster: {workers: 4, parameter_nodes: 2}\n"
      "compute: {time: {dist: shifted_exponential, shift: 1ms, mean: 1ms}}\n"
      "network: {latency: {dist: uniform, min: 10us, max: 90us}, bandwidth: 1Gbit/s}\n"
      "model: {type: logistic}\ndata: {source: classification, features: 8}\n"
      "stop: {updates: 200}\nname: same\n";
  TempDir dir;
  const auto sync = run_yaml(dir, learning, "sync");
  const auto k_sync =
      run_yaml(dir, learning, "k_sync", {{"algorithm.type=k_sync"}, {"algorithm.k=4"}});
  const auto backup = run_yaml(dir, learning, "backup",
                               {{"algorithm.type=backup"}, {"algorithm.backup_workers=0"}});
  for (const char* f : {"updates.csv", "rounds.csv", "metrics.csv", "trace.json"}) {
    INFO(f);
    CHECK(read_text(sync / f) == read_text(k_sync / f));
    CHECK(read_text(sync / f) == read_text(backup / f));
  }
}

TEST_CASE(
    "a late gradient is never applied: every applied gradient was computed on the current model") {
  // With links of random latency, pushes are still on the wire when their round closes.
  TempDir dir;
  const auto run =
      run_yaml(dir,
               "cluster: {workers: 6}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
               "network: {latency: {dist: exponential, mean: 500us}}\n"
               "algorithm: {type: k_sync, k: 3}\nstop: {updates: 500}\n");
  for (double s : csv_column(run / "updates.csv", "staleness")) REQUIRE(s == 0.0);
  CHECK(summary(run)["gradients"] == 500 * 3);
}
