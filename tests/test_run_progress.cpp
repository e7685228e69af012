// How a run reports its progress and answers a cancel, on the simulator, on real threads and in
// a sweep: the fractions it tells grow towards the stop condition, and a cancelled run leaves
// nothing behind.

#include <atomic>
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

/// Asynchronous SGD to 200,000 updates: several slices of events, so several chances to report.
const std::string kAsync =
    "name: progress\ncluster: {workers: 8}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
    "algorithm: {type: async}\nstop: {updates: 200000}\noutput: {trace: false, updates: false}\n";

/// HOGWILD! on two real threads, evaluated every 1,000 of its 8,000 updates.
const std::string kThreads =
    "name: threads\nbackend: threads\ncluster: {workers: 2}\ncompute: {time: {dist: constant, "
    "value: 1us}}\n"
    "algorithm: {type: hogwild, step_size: 0.05}\nmodel: {type: svm, l2: 0.0001}\n"
    "data: {source: sparse, samples: 2000, features: 400, nonzeros: 8}\n"
    "stop: {updates: 8000}\noutput: {metrics_every: 1000}\n";

/// Every progress report of running `yaml` into `dir/name`, reported from the start.
std::vector<RunProgress> reports_of(const TempDir& dir, const std::string& yaml,
                                    const std::string& name) {
  std::vector<RunProgress> reports;
  RunOptions options;
  options.first_progress = std::chrono::milliseconds(0);
  options.progress = [&reports](const RunProgress& p) { reports.push_back(p); };
  run_scenario(load_scenario_text(yaml, (dir / (name + ".yaml")).string()), dir / name, options);
  return reports;
}

/// True when every report has a fraction in [0, 1] and they never go down.
bool fractions_grow(const std::vector<RunProgress>& reports) {
  double last = 0.0;
  for (const RunProgress& p : reports) {
    if (p.fraction < last || p.fraction > 1.0) return false;
    last = p.fraction;
  }
  return true;
}

}  // namespace

TEST_CASE("the fraction done is that of the nearer of stop.updates and stop.time") {
  const TempDir dir;
  const auto load = [&dir](const std::string& stop) {
    return load_scenario_text(
        "name: f\ncompute: {time: {dist: constant, value: 1ms}}\nstop: {" + stop + "}\n",
        (dir / "f.yaml").string());
  };
  CHECK(fraction_done(load("updates: 1000"), 250, 99.0) == Approx(0.25));  // No stop.time.
  CHECK(fraction_done(load("time: 10s"), 250, 4.0) == Approx(0.4));
  CHECK(fraction_done(load("updates: 1000, time: 10s"), 600, 4.0) == Approx(0.6));
  CHECK(fraction_done(load("updates: 1000, time: 10s"), 100, 9.0) == Approx(0.9));
  CHECK(fraction_done(load("updates: 1000"), 1500, 0.0) == Approx(1.0));
}

TEST_CASE("a simulated run reports a growing fraction of its stop condition") {
  const TempDir dir;
  const auto reports = reports_of(dir, kAsync, "sim");
  REQUIRE_FALSE(reports.empty());
  CHECK(fractions_grow(reports));
  CHECK(reports.front().fraction > 0.0);
  CHECK(reports.back().line.find("updates") != std::string::npos);
}

TEST_CASE("a threaded run reports its fraction at each evaluation") {
  const TempDir dir;
  const auto reports = reports_of(dir, kThreads, "threads");
  REQUIRE(reports.size() == 9);  // Before the first update, then every 1,000 of 8,000.
  CHECK(fractions_grow(reports));
  CHECK(reports.front().fraction == 0.0);
  CHECK(reports[4].fraction == Approx(0.5));
  CHECK(reports.back().fraction == 1.0);
}

TEST_CASE("a sweep's progress is each setting's share of the whole") {
  const TempDir dir;
  const auto reports = reports_of(
      dir, kAsync + "sweep: {key: algorithm.step_size, values: [0.1, 0.2], pick: updates_per_s}\n",
      "sweep");
  REQUIRE_FALSE(reports.empty());
  CHECK(fractions_grow(reports));
  // Setting i of n reports (i - 1 + its own fraction) / n.
  int seen[2] = {0, 0};
  for (const RunProgress& p : reports) {
    const int setting = p.line.rfind("setting 1 of 2: ", 0) == 0   ? 0
                        : p.line.rfind("setting 2 of 2: ", 0) == 0 ? 1
                                                                   : -1;
    REQUIRE(setting >= 0);
    ++seen[setting];
    CHECK(p.fraction >= 0.5 * setting);
    CHECK(p.fraction <= 0.5 * (setting + 1));
  }
  CHECK(seen[0] > 0);
  CHECK(seen[1] > 0);
}

TEST_CASE("a cancelled run leaves nothing behind, simulated or on threads") {
  const TempDir dir;
  for (const auto& [yaml, name] : {std::pair{kAsync, "sim"}, std::pair{kThreads, "threads"}}) {
    INFO(name);
    int asked = 0;
    RunOptions options;
    options.cancelled = [&asked] { return ++asked >= 3; };
    const Scenario s = load_scenario_text(yaml, (dir / (std::string(name) + ".yaml")).string());
    CHECK_THROWS_AS(run_scenario(s, dir / name, options), RunCancelled);
    CHECK(asked == 3);
    CHECK(std::filesystem::is_empty(dir.path()));
  }
}

TEST_CASE("an interrupted run writes its directory with the run so far, simulated or on threads") {
  const TempDir dir;
  for (const auto& [yaml, name] : {std::pair{kAsync, "sim"}, std::pair{kThreads, "threads"}}) {
    INFO(name);
    std::atomic<int> asked = 0;  // Threads ask at once.
    RunOptions options;
    options.interrupted = [&asked] { return ++asked >= 3; };
    // Enough updates that the threads, which ask every 4,096 of theirs, ask several times.
    const Scenario s = load_scenario_text(yaml, (dir / (std::string(name) + ".yaml")).string(),
                                          {{"stop.updates=1000000"}});
    const RunOutcome outcome = run_scenario(s, dir / name, options);
    CHECK(outcome.interrupted);
    CHECK(outcome.human_summary.find("interrupted") != std::string::npos);
    const auto j = summary(dir / name);
    CHECK(j["stop_reason"] == "interrupted");
    CHECK(j["updates"].get<std::uint64_t>() < s.stop_updates);
    CHECK(csv_column(dir / name / "metrics.csv", "update").back() == j["updates"]);
  }
}
