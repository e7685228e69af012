// HOGWILD! through scenarios: what its run directories hold on both backends, that simulated
// runs are reproducible, and the calibrate and compare commands.

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "app/cli.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

/// A small sparse SVM for four cores with racy writes.
const std::string kSparseSvm =
    "name: svm\ncluster: {workers: 4}\ncompute: {time: {dist: exponential, mean: 1us}}\n"
    "algorithm: {type: hogwild, step_size: 0.05}\nhogwild: {writes: racy, read_cost: 2ns}\n"
    "model: {type: svm, l2: 0.0001}\n"
    "data: {source: sparse, samples: 2000, features: 400, nonzeros: 8, skew: 1.0}\n"
    "stop: {updates: 8000}\noutput: {metrics_every: 1000}\n";

int run_cli(std::vector<std::string> args, std::string* out = nullptr) {
  args.insert(args.begin(), "sgdsim");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream o, e;
  const int code = sgdsim_main(static_cast<int>(argv.size()), argv.data(), o, e);
  if (out) *out = o.str() + e.str();
  return code;
}

}  // namespace

TEST_CASE("a simulated HOGWILD! run reports collisions, losses and sparsity, byte for byte") {
  TempDir dir;
  const auto a = run_yaml(dir, kSparseSvm, "a"), b = run_yaml(dir, kSparseSvm, "b");
  for (const char* file : {"metrics.csv", "updates.csv", "coordinates.csv", "trace.json"})
    CHECK(read_text(a / file) == read_text(b / file));
  const auto j = summary(a);
  CHECK(j["updates"] == 8000);
  CHECK(j["hogwild"]["variant"] == "lock_free");
  CHECK(j["hogwild"]["writes"] == "racy");
  const auto writes = csv_column(a / "coordinates.csv", "writes");
  const auto lost = csv_column(a / "coordinates.csv", "lost");
  double total_writes = 0, total_lost = 0;
  for (std::size_t v = 0; v < writes.size(); ++v) {
    total_writes += writes[v];
    total_lost += lost[v];
  }
  CHECK(total_writes == j["hogwild"]["coordinate_writes"].get<double>());
  CHECK(total_writes == 8 * 8000);
  CHECK(total_lost == j["hogwild"]["lost_writes"].get<double>());
  CHECK(total_lost > 0);  // Skewed features: the common ones collide.
  CHECK(j["hogwild"]["sparsity"]["omega"] == 8);
  CHECK(j["hogwild"]["sparsity"]["rho"].get<double>() >
        j["hogwild"]["sparsity"]["delta"].get<double>());
  const auto loss = csv_column(a / "metrics.csv", "train_loss");
  CHECK(loss.back() < 0.8 * loss.front());
}

TEST_CASE("conflict-free batches are rounds in rounds.csv") {
  TempDir dir;
  const auto run =
      run_yaml(dir, kSparseSvm, "run", {{"hogwild.variant=conflict_free"}, {"hogwild.batch=100"}});
  CHECK(csv_column(run / "rounds.csv", "contributors").size() == 80);
  CHECK(summary(run)["hogwild"]["collisions"] == 0);
}

TEST_CASE("real threads write the same metrics as a simulated run, in wall seconds") {
  TempDir dir;
  const auto real = run_yaml(dir, kSparseSvm, "real", {{"backend=threads"}});
  const auto simulated = run_yaml(dir, kSparseSvm, "simulated");
  // The same rows at the same update counts, the same columns.
  const auto header = [](const std::filesystem::path& run) {
    const std::string text = read_text(run / "metrics.csv");
    return text.substr(0, text.find('\n'));
  };
  CHECK(header(real) == header(simulated));
  CHECK(csv_column(real / "metrics.csv", "update") ==
        csv_column(simulated / "metrics.csv", "update"));
  const auto loss = csv_column(real / "metrics.csv", "train_loss");
  CHECK(loss.back() < 0.8 * loss.front());
  const auto j = summary(real);
  CHECK(j["backend"] == "threads");
  CHECK(j["time_base"] == "wall");
  CHECK(j["updates"] == 8000);
  CHECK(j["hogwild"]["coordinate_writes"] == 8 * 8000);
  CHECK(j["wall"]["update_time_s"]["p50"].get<double>() > 0.0);
  CHECK(j["pinned"] == false);  // By default the kernel places the threads.
  CHECK(summary(run_yaml(dir, kSparseSvm, "pinned",
                         {{"backend=threads"}, {"hogwild.pin_threads=true"}}))["pinned"] == true);
}

TEST_CASE("features renumbered by frequency learn what the features as read learn") {
  TempDir dir;
  const auto as_read = run_yaml(dir, kSparseSvm, "as_read", {{"model.type=logistic"}});
  const auto ordered = run_yaml(dir, kSparseSvm, "ordered",
                                {{"model.type=logistic"}, {"hogwild.feature_order=by_frequency"}});
  // The same terms in the same order on a permuted model: the losses differ only by the order of
  // each margin's sum.
  const auto a = csv_column(as_read / "metrics.csv", "train_loss");
  const auto b = csv_column(ordered / "metrics.csv", "train_loss");
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(b[i] == Approx(a[i]).epsilon(1e-9));
  // The most written coordinates come first in the new numbering.
  const auto writes = csv_column(ordered / "coordinates.csv", "writes");
  CHECK(writes.front() == *std::max_element(writes.begin(), writes.end()));
}

TEST_CASE("calibrate writes a samples file a scenario can draw from, and never replaces one") {
  TempDir dir;
  write_text(dir / "svm.yaml", kSparseSvm);
  const std::string file = (dir / "times.txt").string();
  std::string out;
  REQUIRE(run_cli({"calibrate", (dir / "svm.yaml").string(), "--out", file, "--tasks", "500"},
                  &out) == 0);
  CHECK(out.find("timed 500 tasks") != std::string::npos);
  const Scenario s = load_scenario((dir / "svm.yaml").string(),
                                   {{"compute.time={dist: empirical, file: times.txt}"}});
  CHECK(s.compute_time.mean() > 0.0);
  CHECK(s.compute_time.mean() < 1e-3);  // A sparse update takes microseconds, not milliseconds.
  const std::string before = read_text(file);
  CHECK(run_cli({"calibrate", (dir / "svm.yaml").string(), "--out", file}, &out) == 73);
  CHECK(read_text(file) == before);
}

TEST_CASE("compare runs both backends and prints them side by side") {
  TempDir dir;
  write_text(dir / "svm.yaml", kSparseSvm);
  std::string out;
  REQUIRE(run_cli({"compare", (dir / "svm.yaml").string(), "--out", (dir / "cmp").string(),
                   "--calibration-tasks", "500"},
                  &out) == 0);
  INFO(out);
  CHECK(out.find("updates per second") != std::string::npos);
  CHECK(out.find("training loss at update 8000") != std::string::npos);
  for (const char* run : {"threads", "threads-counted", "simulated"})
    CHECK(summary(dir / "cmp" / run)["updates"] == 8000);
  CHECK(summary(dir / "cmp" / "simulated")["hogwild"]["backend"] == "simulated");
  // The simulated run's resolved scenario names the calibration where it now is.
  CHECK(read_text(dir / "cmp" / "simulated" / "scenario.resolved.yaml")
            .find((dir / "cmp" / "calibration.txt").string()) != std::string::npos);
}
