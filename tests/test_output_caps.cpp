// output.updates_max_rows: updates.csv stops at its cap, summary.json and the printed summary say
// how many rows were left out, and a run under the cap writes what it wrote before the cap.

#include <catch2/catch.hpp>

#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

/// Asynchronous SGD to 500 updates: 500 rows of updates.csv with one parameter node.
const std::string kAsync =
    "name: capped\ncluster: {workers: 4}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
    "algorithm: {type: async}\nstop: {updates: 500}\n";

/// The rows of a CSV file after its header.
std::size_t rows_of(const std::filesystem::path& file) {
  const std::string text = read_text(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) - 1;
}

/// Runs kAsync with `overrides` into `dir`/`name`.
RunOutcome run_async(const TempDir& dir, const std::string& name,
                     const std::vector<Override>& overrides) {
  const Scenario s = load_scenario_text(kAsync, (dir / (name + ".yaml")).string(), overrides);
  return run_scenario(s, dir / name);
}

}  // namespace

TEST_CASE(
    "updates.csv holds exactly output.updates_max_rows rows and the summaries count the rest") {
  const TempDir dir;
  const RunOutcome outcome = run_async(dir, "capped", {{"output.updates_max_rows=100"}});
  CHECK(rows_of(outcome.directory / "updates.csv") == 100);
  const auto j = summary(outcome.directory);
  REQUIRE(j.contains("updates_csv"));
  CHECK(j["updates_csv"]["max_rows"] == 100);
  CHECK(j["updates_csv"]["rows_written"] == 100);
  CHECK(j["updates_csv"]["rows_left_out"] == j["gradients"].get<std::uint64_t>() - 100);
  CHECK(outcome.human_summary.find("400 more were left out") != std::string::npos);
  CHECK(outcome.human_summary.find("--set output.updates_max_rows=0") != std::string::npos);
}

TEST_CASE("a run under output.updates_max_rows writes what an uncapped run writes") {
  const TempDir dir;
  const auto under = run_async(dir, "under", {{"output.updates_max_rows=500"}}).directory;
  const auto uncapped = run_async(dir, "uncapped", {{"output.updates_max_rows=0"}}).directory;
  CHECK(rows_of(under / "updates.csv") == 500);
  for (const char* f : {"updates.csv", "metrics.csv", "trace.json"}) {
    INFO(f);
    CHECK(read_text(under / f) == read_text(uncapped / f));
  }
  auto a = summary(under), b = summary(uncapped);
  CHECK_FALSE(a.contains("updates_csv"));
  a.erase("wall");
  b.erase("wall");
  CHECK(a == b);
}
