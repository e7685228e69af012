// Hyperparameter-parallel runs: each setting is the run it would be alone on its share of the
// workers, and the sweep names the best by the chosen measure.

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

const std::string kBase =
    "cluster: {workers: 8}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
    "model: {type: logistic}\ndata: {source: classification, features: 8}\n"
    "algorithm: {batch_size: 4}\nstop: {updates: 100}\nname: sweep\n";

}  // namespace

TEST_CASE("each setting of a sweep is exactly the run it would be alone on its share") {
  // Eight workers shared by three settings: 3, 3 and 2 workers.
  TempDir dir;
  const auto sweep =
      run_yaml(dir, kBase + "sweep: {key: algorithm.step_size, values: [0.05, 0.5, 5]}\n", "sweep");
  const std::vector<std::pair<std::string, int>> settings = {
      {"1-step_size=0.05", 3}, {"2-step_size=0.5", 3}, {"3-step_size=5", 2}};
  for (const auto& [folder, workers] : settings) {
    INFO(folder);
    const std::string value = folder.substr(folder.find('=') + 1);
    const auto alone = run_yaml(
        dir, kBase, "alone" + value,
        {{"algorithm.step_size=" + value}, {"cluster.workers=" + std::to_string(workers)}});
    for (const char* f : {"updates.csv", "metrics.csv", "rounds.csv"})
      CHECK(read_text(sweep / "settings" / folder / f) == read_text(alone / f));
    CHECK(summary(sweep / "settings" / folder)["workers"] == workers);
  }
}

TEST_CASE("a sweep names the best setting by the measure it picks") {
  TempDir dir;
  for (const char* pick : {"train_loss", "test_loss", "test_accuracy", "updates_per_s"}) {
    INFO(pick);
    const auto run = run_yaml(
        dir,
        kBase + "sweep: {key: algorithm.step_size, values: [0.01, 0.3, 30], pick: " + pick + "}\n",
        pick);
    const auto column = csv_column(run / "sweep.csv", pick);
    const auto best = csv_column(run / "sweep.csv", "best");
    REQUIRE(column.size() == 3);
    const bool higher =
        std::string(pick) == "test_accuracy" || std::string(pick) == "updates_per_s";
    std::size_t expected = 0;
    for (std::size_t i = 1; i < column.size(); ++i)
      if (higher ? column[i] > column[expected] : column[i] < column[expected]) expected = i;
    for (std::size_t i = 0; i < best.size(); ++i) CHECK(best[i] == (i == expected ? 1.0 : 0.0));
    CHECK(summary(run)["sweep"]["best"] == expected + 1);
  }
}

TEST_CASE("a sweep without shared workers gives every setting the whole cluster") {
  TempDir dir;
  const auto run = run_yaml(
      dir,
      kBase + "sweep: {key: seed, values: [1, 2, 3], share_workers: false, pick: train_loss}\n");
  const auto losses = csv_column(run / "sweep.csv", "train_loss");
  for (double w : csv_column(run / "sweep.csv", "workers")) CHECK(w == 8);
  // Different seeds draw different data and schedules.
  CHECK(losses[0] != losses[1]);
  CHECK(losses[1] != losses[2]);
}
