// Every latency family: sample mean and variance agree with the exact ones, and bad parameters
// are refused by name; durations too long for SimTime saturate, down to whole runs.

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "sim/cluster/latency.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

struct Moments {
  double mean, variance;
};

Moments sample_moments(const LatencyDistribution& d, std::uint64_t who, int n) {
  // Welford's running moments: sum-of-squares minus squared mean would cancel catastrophically.
  RandomStream r(123, who, "moments");
  double mean = 0.0, m2 = 0.0;
  for (int i = 1; i <= n; ++i) {
    const double x = d.sample_seconds(r, who);
    REQUIRE(x >= 0.0);
    const double delta = x - mean;
    mean += delta / i;
    m2 += delta * (x - mean);
  }
  return {mean, m2 / n};
}

/// Checks that the sample mean is within 4 standard errors of the exact mean and the sample
/// variance within 5% of the exact variance (n = 400,000 makes both checks tight).
void check_moments(const LatencyDistribution& d, std::uint64_t who = 0) {
  const int n = 400000;
  const Moments m = sample_moments(d, who, n);
  INFO("mean " << m.mean << " vs " << d.mean(who) << "; variance " << m.variance << " vs "
               << d.variance(who));
  // The small margins absorb the rounding of 400,000 additions (they matter for a constant).
  const double rounding = 1e-9 * d.mean(who);
  CHECK(std::abs(m.mean - d.mean(who)) <= 4.0 * std::sqrt(d.variance(who) / n) + rounding);
  CHECK(m.variance == Approx(d.variance(who)).epsilon(0.05).margin(rounding * rounding));
}

LatencyDistribution make(LatencyKind k, std::map<std::string, double> p) {
  return LatencyDistribution::make(k, p);
}

}  // namespace

TEST_CASE("every numeric latency family has the mean and variance it declares") {
  using K = LatencyKind;
  check_moments(make(K::kConstant, {{"value", 2e-3}}));
  check_moments(make(K::kUniform, {{"min", 1e-3}, {"max", 3e-3}}));
  check_moments(make(K::kExponential, {{"mean", 2e-3}}));
  check_moments(make(K::kShiftedExponential, {{"shift", 1e-3}, {"mean", 2e-3}}));
  check_moments(make(K::kNormal, {{"mean", 1e-3}, {"stddev", 1e-3}}));  // Heavily truncated.
  check_moments(make(K::kNormal, {{"mean", 5e-3}, {"stddev", 1e-3}}));
  check_moments(make(K::kLognormal, {{"median", 1e-3}, {"sigma", 0.5}}));
  check_moments(make(K::kGamma, {{"shape", 2.5}, {"mean", 2e-3}}));
  check_moments(make(K::kGamma, {{"shape", 0.5}, {"mean", 2e-3}}));
  check_moments(make(K::kWeibull, {{"shape", 1.5}, {"scale", 1e-3}}));
  check_moments(make(K::kPareto, {{"shape", 5.0}, {"scale", 1e-3}}));
}

TEST_CASE("constant latencies draw nothing from their stream") {
  RandomStream used(1, 0, "x"), fresh(1, 0, "x");
  const auto d = make(LatencyKind::kConstant, {{"value", 1e-3}});
  CHECK(d.sample_seconds(used, 0) == 1e-3);
  CHECK(used.next_u64() == fresh.next_u64());
}

TEST_CASE("a Pareto law with shape at most one has an infinite mean") {
  const auto d = make(LatencyKind::kPareto, {{"shape", 1.0}, {"scale", 1e-3}});
  CHECK(std::isinf(d.mean()));
  CHECK(std::isinf(d.variance()));
}

TEST_CASE("an empirical distribution draws its samples with equal chances") {
  const auto d = LatencyDistribution::empirical({1e-3, 2e-3, 6e-3});
  CHECK(d.mean() == Approx(3e-3));
  check_moments(d);
}

TEST_CASE("a straggler mixture slows a fraction p of tasks by its factor") {
  const auto base = make(LatencyKind::kExponential, {{"mean", 1e-3}});
  const auto d = LatencyDistribution::straggler(base, 0.1, 10.0, {});
  CHECK(d.mean() == Approx(1e-3 * (1.0 + 0.1 * 9.0)));
  check_moments(d);
}

TEST_CASE("listed slow workers are always slowed and the others never by that list") {
  const auto base = make(LatencyKind::kConstant, {{"value", 1e-3}});
  const auto d = LatencyDistribution::straggler(base, 0.0, 4.0, {2});
  RandomStream r(1, 0, "x");
  CHECK(d.sample_seconds(r, 2) == Approx(4e-3));
  CHECK(d.sample_seconds(r, 1) == Approx(1e-3));
  CHECK(d.mean(2) == Approx(4e-3));
  CHECK(d.mean(1) == Approx(1e-3));
}

TEST_CASE("out-of-range parameters are refused by name") {
  using K = LatencyKind;
  CHECK_THROWS_WITH(make(K::kExponential, {{"mean", 0.0}}), Catch::Contains("'mean'"));
  CHECK_THROWS_WITH(make(K::kUniform, {{"min", 2.0}, {"max", 1.0}}), Catch::Contains("'max'"));
  CHECK_THROWS_WITH(make(K::kGamma, {{"shape", -1.0}, {"mean", 1.0}}), Catch::Contains("'shape'"));
  CHECK_THROWS_WITH(make(K::kWeibull, {{"shape", 1.0}}), Catch::Contains("'scale'"));
  CHECK_THROWS_WITH(LatencyDistribution::straggler({}, 0.5, 0.5, {}), Catch::Contains("'factor'"));
  CHECK_THROWS(LatencyDistribution::empirical({}));
}

TEST_CASE("durations become whole nanoseconds scaled by speed and work") {
  const auto d = make(LatencyKind::kConstant, {{"value", 1.5e-6}});
  RandomStream r(1, 0, "x");
  CHECK(d.sample(r, 0) == 1500);
  CHECK(d.sample(r, 0, 2.0) == 3000);
}

TEST_CASE("seconds beyond SimTime's range saturate instead of overflowing the conversion") {
  CHECK(from_seconds(1e300) == kTimeNever);
  CHECK(from_seconds(std::numeric_limits<double>::infinity()) == kTimeNever);
  CHECK(from_seconds(std::numeric_limits<double>::quiet_NaN()) == kTimeNever);
  CHECK(from_seconds(-1e300) == -kTimeNever);
  CHECK(from_seconds(9e9) == 9'000'000'000'000'000'000);
}

TEST_CASE("a Pareto law with a tiny shape gives finite times saturated at never") {
  // Shape 0.001: 97% of the draws exceed the 292 years of a SimTime, most of them 1e300 s.
  const auto d = make(LatencyKind::kPareto, {{"shape", 1e-3}, {"scale", 1e-3}});
  RandomStream r(7, 0, "pareto");
  int saturated = 0;
  for (int i = 0; i < 1000; ++i) {
    const SimTime t = d.sample(r, 0, 2.0);
    CHECK(t >= 2'000'000);
    saturated += t == kTimeNever;
  }
  CHECK(saturated > 900);
}

TEST_CASE("messages whose link latency saturates are never delivered and the run reaches its end") {
  // Delivery at start + latency + transfer would overflow with a latency of kTimeNever.
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\ncompute: {time: 1ms}\n"
                            "network: {latency: {dist: pareto, shape: 0.001, scale: 10us}, "
                            "bandwidth: 1Gbit/s}\nstop: {time: 2s}\n");
  CHECK(summary(run)["stop_reason"] == "stop.time reached");
  CHECK(summary(run)["sim_time"] == "2.000000000");
}

TEST_CASE("a simulated HOGWILD! core whose compute time saturates never writes") {
  // The write at now + reading + computing + writing would overflow with computing kTimeNever.
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\n"
                            "compute: {time: {dist: pareto, shape: 0.001, scale: 1us}}\n"
                            "algorithm: {type: hogwild}\nhogwild: {read_cost: 2ns}\n"
                            "model: {type: svm}\ndata: {source: sparse, samples: 200}\n"
                            "stop: {time: 1s}\n");
  CHECK(summary(run)["stop_reason"] == "stop.time reached");
  CHECK(summary(run)["sim_time"] == "1.000000000");
}
