#pragma once
// The headline figures of a run's summary.json, as label and value lines for the run panel.

#include <nlohmann/json.hpp>
#include <vector>

#include "gui/run_data.hpp"

namespace sgdsim {

/// Algorithm, workers, updates, time, staleness, losses, time to target and HOGWILD!'s collisions:
/// whichever of them `summary` (a parsed summary.json) holds, in that order.
std::vector<RunFact> summary_facts(const nlohmann::json& summary);

}  // namespace sgdsim
