// Rounds that wait for the first K of P gradients (K-sync, K-batch-sync, backup workers), and
// updates of any K gradients (K-async, K-batch-async).

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
  const Override two_nodes{"cluster.parameter_nodes=2"};
  TempDir dir;
  const auto sync = run_yaml(dir, kJitteryLearning, "sync", {two_nodes});
  const auto k_sync = run_yaml(dir, kJitteryLearning, "k_sync",
                               {two_nodes, {"algorithm.type=k_sync"}, {"algorithm.k=4"}});
  const auto backup =
      run_yaml(dir, kJitteryLearning, "backup",
               {two_nodes, {"algorithm.type=backup"}, {"algorithm.backup_workers=0"}});
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

TEST_CASE("a failed worker stalls synchronous rounds, which a timeout or a backup worker saves") {
  // Six workers with 1 ms tasks; w2 fails at 10.5 ms, in the middle of its eleventh task.
  TempDir dir;
  const std::string base =
      "cluster: {workers: 6, failures: {2: 10500us}}\ncompute: {time: 1ms}\nstop: {time: 50ms}\n";
  const auto stuck = run_yaml(dir, base, "stuck");
  CHECK(summary(stuck)["stop_reason"] == "nothing left to do");
  CHECK(summary(stuck)["rounds"] == 10);

  const auto timed = run_yaml(dir, base + "algorithm: {round_timeout: 5ms}\n", "timed");
  const auto durations = csv_column(timed / "rounds.csv", "duration_s");
  const auto contributors = csv_column(timed / "rounds.csv", "contributors");
  REQUIRE(durations.size() > 11);
  for (std::size_t r = 0; r < 10; ++r) CHECK(durations[r] == Approx(1e-3));
  for (std::size_t r = 11; r < durations.size(); ++r) {
    CHECK(durations[r] == Approx(5e-3));  // Every later round waits out the timeout,
    CHECK(contributors[r] == 5.0);        // and closes without the failed worker.
  }

  const auto backup =
      run_yaml(dir, base + "algorithm: {type: backup, backup_workers: 1}\n", "backup");
  for (double d : csv_column(backup / "rounds.csv", "duration_s")) CHECK(d == Approx(1e-3));
}

TEST_CASE("a failed worker stalls stale-synchronous clocks and a ring but not K-async SGD") {
  // Six workers with 1 ms tasks; w2 fails at 10.5 ms, having pushed clocks 0 to 9. Clock 10 never
  // completes: the others run on to the bound (clock 12 for s = 2), then block for ever. The
  // ring loses a member in its eleventh round.
  TempDir dir;
  const std::string base =
      "cluster: {workers: 6, failures: {2: 10500us}}\ncompute: {time: 1ms}\nstop: {time: 50ms}\n";
  for (const char* algorithm : {"{type: ssp, staleness_bound: 2}", "{type: all_reduce}"}) {
    INFO(algorithm);
    const auto j = summary(run_yaml(dir, base + "algorithm: " + algorithm + "\n", "stalled"));
    CHECK(j["stop_reason"] == "nothing left to do");
    CHECK(j["updates"] == 10);
    std::filesystem::remove_all(dir / "stalled");
  }
  const auto ssp = run_yaml(dir, base + "algorithm: {type: ssp, staleness_bound: 2}\n", "ssp");
  for (double clock : csv_column(ssp / "updates.csv", "round")) CHECK(clock <= 9);
  const auto j = summary(run_yaml(dir, base + "algorithm: {type: k_async, k: 3}\n", "k_async"));
  CHECK(j["stop_reason"] == "stop.time reached");
  CHECK(j["updates"] > 50);  // 20 before the failure, then about one a millisecond.
}

TEST_CASE("asynchronous SGD goes on without a failed worker, at the others' rate") {
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4, failures: {0: 100ms}}\ncompute: {time: 1ms}\n"
                            "algorithm: {type: async}\nstop: {time: 200ms}\n");
  const auto times = csv_column(run / "updates.csv", "time_s");
  const auto workers = csv_column(run / "updates.csv", "worker");
  std::size_t after = 0, from_failed = 0;
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (times[i] <= 0.1) continue;
    ++after;
    from_failed += workers[i] == 0.0;
  }
  CHECK(from_failed == 0);
  CHECK(after == Approx(3 * 100).margin(3));  // Three workers, one update per ms each.
}

TEST_CASE("a K-batch-sync round lasts K / (P mu) on average even when K exceeds P") {
  // Workers compute batch after batch on the round's model: the round ends at the K-th event of
  // P merged Poisson streams of rate mu.
  TempDir dir;
  for (int k : {2, 6, 12}) {
    const auto run = run_yaml(dir, cluster(6, "{type: k_batch_sync, k: " + std::to_string(k) + "}"),
                              "k" + std::to_string(k));
    const auto j = summary(run);
    const double mean = j["iteration_time_s"]["mean"];
    const double se = j["iteration_time_s"]["standard_error"];
    INFO("K = " << k << ": mean " << mean << " s.e. " << se);
    CHECK(std::abs(mean - k / 6.0 * 1e-3) < 3.0 * se);
    CHECK(j["gradients"] == 20000 * k);
    CHECK(j["staleness"]["max"] == 0);
  }
}

TEST_CASE("K-async and K-batch-async with K = 1 are asynchronous SGD byte for byte") {
  const Override two_nodes{"cluster.parameter_nodes=2"};
  TempDir dir;
  const auto async =
      run_yaml(dir, kJitteryLearning, "async", {two_nodes, {"algorithm.type=async"}});
  for (const char* type : {"k_async", "k_batch_async"}) {
    const auto k1 =
        run_yaml(dir, kJitteryLearning, type,
                 {two_nodes, {std::string("algorithm.type=") + type}, {"algorithm.k=1"}});
    for (const char* f : {"updates.csv", "metrics.csv", "trace.json"}) {
      INFO(type << " " << f);
      CHECK(read_text(async / f) == read_text(k1 / f));
    }
  }
}

TEST_CASE("a K-async update averages K gradients while its pushers wait for it") {
  // Under K-async a worker that has pushed idles until the update it is part of, so updates come
  // more slowly and gradients are fresher than under K-batch-async, where every pusher reads the
  // current model at once and computes on.
  TempDir dir;
  const auto k_async = summary(run_yaml(dir, cluster(8, "{type: k_async, k: 4}"), "k_async"));
  const auto k_batch =
      summary(run_yaml(dir, cluster(8, "{type: k_batch_async, k: 4}"), "k_batch_async"));
  CHECK(k_async["gradients"] == 4 * 20000);
  CHECK(k_batch["gradients"] == 4 * 20000);
  const double fresh = k_async["staleness"]["mean"], stale = k_batch["staleness"]["mean"];
  CHECK(stale > fresh);
  CHECK(k_async["updates_per_s"] < k_batch["updates_per_s"]);
  // Under K-batch-async each update takes K of the P mu arrivals per second.
  CHECK(double(k_batch["updates_per_s"]) == Approx(8 * 1000.0 / 4).epsilon(0.02));
}
