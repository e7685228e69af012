// The strategy table (app/strategies.hpp): each strategy declared once, documented, and the only
// way a scenario's algorithm.type becomes a protocol.

#include <catch2/catch.hpp>
#include <set>

#include "app/strategies.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

TEST_CASE("every strategy is declared once, with its help, and has a section in the docs") {
  const std::string doc =
      read_text(std::filesystem::path(SGDSIM_SOURCE_DIR) / "docs/strategies.md");
  std::set<std::string_view> names;
  for (const Strategy& s : strategies()) {
    INFO(s.name);
    CHECK(names.insert(s.name).second);
    CHECK_FALSE(s.title.empty());
    CHECK_FALSE(s.help.empty());
    CHECK(s.make != nullptr);
    CHECK(s.display != nullptr);
    // A heading of docs/strategies.md names it: "## Title (`name`)" or "(`a`, `name`)".
    bool headed = false;
    std::istringstream lines(doc);
    for (std::string line; std::getline(lines, line);)
      headed |= line.starts_with("## ") && line.find("`" + std::string(s.name) + "`") != line.npos;
    CHECK(headed);
    CHECK(strategies_help().find("`" + std::string(s.name) + "`") != std::string::npos);
  }
}

TEST_CASE("an unknown algorithm.type is refused by the loader and the table and the runner") {
  TempDir dir;
  try {
    load_scenario_text("compute: {time: 1ms}\nalgorithm: {type: sycn}\n",
                       (dir / "bad.yaml").string());
    FAIL("the loader accepted an unknown strategy");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()).find("bad.yaml:2:19") != std::string::npos);
    CHECK(std::string(e.what()).find("sync") != std::string::npos);
  }
  CHECK_THROWS_WITH(strategy_named("sycn"),
                    Catch::Contains("unknown algorithm.type 'sycn'") && Catch::Contains("ssp"));
  // A scenario made by hand, past the loader, never runs as another strategy.
  Scenario s =
      load_scenario_text("compute: {time: 1ms}\nstop: {updates: 10}\n", (dir / "ok.yaml").string());
  s.algorithm = "sycn";
  CHECK_THROWS_AS(run_scenario(s, dir / "run"), std::invalid_argument);
  CHECK_FALSE(std::filesystem::exists(dir / "run"));
}

TEST_CASE("a strategy's required keys are asked for at its algorithm.type") {
  TempDir dir;
  for (const Strategy& st : strategies())
    for (std::string_view key : st.required) {
      INFO(st.name << " without " << key);
      CHECK_THROWS_WITH(
          load_scenario_text("compute: {time: 1ms}\nstop: {time: 1s}\nalgorithm:\n  type: " +
                                 std::string(st.name) + "\n",
                             (dir / "s.yaml").string()),
          Catch::Contains("s.yaml:4:9") &&
              Catch::Contains("missing required key '" + std::string(key) + "'"));
    }
}
