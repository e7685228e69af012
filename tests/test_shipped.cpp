// What ships with the project stays consistent: every scenario is valid and the scenario
// reference in docs/ is exactly what `sgdsim keys` prints.

#include <catch2/catch.hpp>

#include "app/scenario_keys.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

TEST_CASE("docs/scenario.md is the generated reference of every key") {
  const std::string doc = read_text(std::filesystem::path(SGDSIM_SOURCE_DIR) / "docs/scenario.md");
  INFO("regenerate with: build/sgdsim keys > docs/scenario.md");
  CHECK(doc == scenario_keys_markdown());
  for (const KeyDecl& k : scenario_keys()) {
    CHECK_FALSE(k.help.empty());
    CHECK_FALSE(k.example.empty());
  }
}

TEST_CASE("every shipped scenario is valid") {
  std::size_t count = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(SGDSIM_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path());
    CHECK_NOTHROW(load_scenario(e.path().string()));
    ++count;
  }
  CHECK(count >= 6);
}

TEST_CASE("every key's documented example is accepted by the loader") {
  TempDir dir;
  for (const KeyDecl& k : scenario_keys()) {
    INFO(k.path << ": " << k.example);
    std::vector<Override> set = {{k.path + "=" + k.example}};
    // Keys whose example needs a companion key.
    if (k.path == "model.type") {
      set.push_back({"data.source=ratings"});
      set.push_back({"algorithm.type=hogwild"});
    }
    if (k.path == "backend") {
      set.push_back({"algorithm.type=hogwild"});
      set.push_back({"model.type=least_squares"});
    }
    if (k.path == "data.source") set.push_back({"data.file=data.svm"});
    if (k.path == "algorithm.compression" || k.path == "algorithm.type")
      set.push_back({"model.type=least_squares"});
    if (k.path.starts_with("sweep.")) {
      if (k.path != "sweep.key") set.push_back({"sweep.key=algorithm.step_size"});
      if (k.path != "sweep.values") set.push_back({"sweep.values=[0.1, 1]"});
      set.push_back({"model.type=least_squares"});
    }
    if (k.path == "network.links") {
      set.push_back({"cluster.switches=1"});
      set.push_back({"cluster.workers=1"});
    }
    CHECK_NOTHROW(
        load_scenario_text("cluster: {workers: 8}\ncompute: {time: 1ms}\nstop: {updates: 1}\n",
                           (dir / "s.yaml").string(), set));
  }
}

TEST_CASE("the resolved scenario reloads to the same resolved scenario") {
  TempDir dir;
  const Scenario s = load_scenario(std::string(SGDSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml");
  write_text(dir / "resolved.yaml", emit_yaml(s.resolved));
  const Scenario again = load_scenario((dir / "resolved.yaml").string());
  CHECK(emit_yaml(again.resolved) == emit_yaml(s.resolved));
}
