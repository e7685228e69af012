// The scenario loader on arbitrary text: it either loads a scenario or throws ScenarioError (or
// FileNotFound for a file the scenario names). A loaded scenario's strings must be writable as
// JSON (summary.json) and its resolved tree as YAML (scenario.resolved.yaml), as a run writes them.

#include <nlohmann/json.hpp>

#include "app/scenario.hpp"
#include "app/yaml_tree.hpp"

/// libFuzzer's entry point: one input, the text of a scenario file.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sgdsim::Scenario s = sgdsim::load_scenario_text(text, "fuzz.yaml");
    nlohmann::ordered_json j;
    j["scenario"] = s.name;
    j["description"] = s.description;
    for (const sgdsim::Scenario& setting : s.settings) j["settings"].push_back(setting.name);
    (void)j.dump();  // throws type_error 316 for a string that is not UTF-8
    (void)sgdsim::emit_yaml(s.resolved);
  } catch (const sgdsim::ScenarioError&) {
  } catch (const sgdsim::FileNotFound&) {
  }
  return 0;
}
