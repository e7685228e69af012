// The reference results of docs/architecture.md that concern timing, reproduced by full runs.

#include <catch2/catch.hpp>
#include <cmath>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

std::string exponential_cluster(const std::string& algorithm, int workers,
                                const std::string& stop) {
  return "cluster: {workers: " + std::to_string(workers) +
         "}\n"
         "compute: {time: {dist: exponential, mean: 1ms}}\n"
         "algorithm: {type: " +
         algorithm +
         "}\n"
         "stop: {" +
         stop +
         "}\n"
         "output: {trace: false, updates: false}\n";
}

/// The upper 0.1% point of the chi-square law with `df` degrees of freedom (Wilson-Hilferty).
double chi_square_critical_999(int df) {
  const double z = 3.090232;  // Standard normal 0.999 quantile.
  const double k = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - k + z * std::sqrt(k), 3.0);
}

}  // namespace

TEST_CASE("a synchronous round with exponential compute lasts H_P / mu on average") {
  TempDir dir;
  const auto run = run_yaml(dir, exponential_cluster("sync", 8, "updates: 20000"));
  const auto j = summary(run);
  const double mean = j["iteration_time_s"]["mean"];
  const double se = j["iteration_time_s"]["standard_error"];
  const double expected = harmonic(8) * 1e-3;
  INFO("mean " << mean << " expected " << expected << " s.e. " << se);
  CHECK(j["rounds"] == 20000);
  CHECK(std::abs(mean - expected) < 3.0 * se);
  CHECK(se < 0.01 * expected);
}

TEST_CASE("a synchronous round with shifted exponential compute lasts D + H_P / mu on average") {
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\n"
                            "compute: {time: {dist: shifted_exponential, shift: 2ms, mean: 1ms}}\n"
                            "stop: {updates: 20000}\n"
                            "output: {trace: false, updates: false}\n");
  const auto j = summary(run);
  const double mean = j["iteration_time_s"]["mean"];
  const double se = j["iteration_time_s"]["standard_error"];
  CHECK(std::abs(mean - (2e-3 + harmonic(4) * 1e-3)) < 3.0 * se);
}

TEST_CASE("asynchronous workers with exponential compute apply P * mu updates per second") {
  TempDir dir;
  const auto run = run_yaml(dir, exponential_cluster("async", 8, "updates: 200000"));
  const auto j = summary(run);
  const double rate = j["updates_per_s"];
  INFO("rate " << rate);
  CHECK(rate == Approx(8 * 1000.0).epsilon(0.01));
}

TEST_CASE("asynchronous staleness with exponential compute follows the geometric law") {
  // P(tau = k) = (1/P)(1 - 1/P)^k. Chi-square goodness of fit at the 0.1% level, bins 0..K-1 and
  // a tail bin, K chosen so every expected count is at least 5.
  const int P = 8;
  TempDir dir;
  const auto run = run_yaml(dir, exponential_cluster("async", P, "updates: 100000"));
  const auto j = summary(run);
  const std::vector<double> hist = j["staleness"]["histogram"].get<std::vector<double>>();
  const double n = j["gradients"];
  const double q = 1.0 - 1.0 / P;
  double chi2 = 0.0, tail_observed = n, tail_expected = n;
  int bins = 0;
  for (int k = 0; n * std::pow(q, k + 1) >= 5.0; ++k, ++bins) {
    const double expected = n * (1.0 / P) * std::pow(q, k);
    const double observed = k < static_cast<int>(hist.size()) ? hist[k] : 0.0;
    chi2 += (observed - expected) * (observed - expected) / expected;
    tail_observed -= observed;
    tail_expected -= expected;
  }
  chi2 += (tail_observed - tail_expected) * (tail_observed - tail_expected) / tail_expected;
  INFO("chi2 " << chi2 << " with " << bins << " degrees of freedom");
  CHECK(chi2 < chi_square_critical_999(bins));
  CHECK(double(j["staleness"]["mean"]) == Approx(P - 1).epsilon(0.03));
}

TEST_CASE("asynchronous staleness with equal constant compute counts up to P-1 and stays there") {
  const int P = 6;
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 6}\ncompute: {time: 1ms}\n"
                            "algorithm: {type: async}\nstop: {updates: 60}\n");
  const std::vector<double> staleness = csv_column(run / "updates.csv", "staleness");
  REQUIRE(staleness.size() == 60);
  for (int i = 0; i < 60; ++i) CHECK(staleness[i] == std::min(i, P - 1));
}

TEST_CASE("pushes into one parameter node queue up: incast adds at least P * S / B per round") {
  // 8 workers, 1 MB each way over 1 GB/s links, 5 ms compute. The node's interface sends the 8
  // models one after another and receives the 8 gradients one after another: the last worker
  // starts 8 ms late and the pushes drain one per millisecond, so a round is 5 + 9 ms exactly.
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 8}\ncompute: {time: 5ms}\n"
                            "network: {bandwidth: 1GB/s, value_bytes: 1B}\n"
                            "model: {dimension: 1000000}\nstop: {updates: 5}\n");
  const std::vector<double> durations = csv_column(run / "rounds.csv", "duration_s");
  REQUIRE(durations.size() == 5);
  for (double d : durations) {
    CHECK(d >= 5e-3 + 8 * 1e6 / 1e9);
    CHECK(d == Approx(14e-3).margin(1e-9));
  }
}

TEST_CASE("link latency delays every message once per hop") {
  // Two workers behind a switch: pull and push each cross two links of 1 ms latency.
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 2, switches: 1}\ncompute: {time: 3ms}\n"
                            "network:\n  latency: 1ms\n"
                            "  links: [{between: [w0, sw0]}, {between: [w1, sw0]},"
                            " {between: [sw0, ps0]}]\n"
                            "stop: {updates: 3}\n");
  const std::vector<double> durations = csv_column(run / "rounds.csv", "duration_s");
  REQUIRE(durations.size() == 3);
  for (double d : durations) CHECK(d == Approx(7e-3).margin(1e-12));
}

TEST_CASE("a slow worker's factor stretches every synchronous round") {
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\ncompute: {time: 1ms, worker_factors: {2: 10}}\n"
                            "stop: {updates: 4}\n");
  for (double d : csv_column(run / "rounds.csv", "duration_s"))
    CHECK(d == Approx(10e-3).margin(1e-12));
}
