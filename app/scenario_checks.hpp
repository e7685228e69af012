#pragma once
// The checks that involve several keys of a scenario.

#include "app/scenario.hpp"
#include "app/scenario_keys.hpp"

namespace sgdsim {

/// Checks what the bound keys of `s` must satisfy together (failing at the position in `root` that
/// is best to blame), works out the values that depend on several keys, and records them in
/// `resolved`.
void resolve_scenario(const YamlNode& root, Scenario& s, YamlNode& resolved,
                      const LoadContext& ctx);

}  // namespace sgdsim
