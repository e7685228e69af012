#pragma once
// Hyperparameter-parallel runs: every setting of a sweep, and the table that names the best.

#include "app/runner.hpp"

namespace sgdsim {

/// Runs each setting of `sweep` (a scenario with settings) into `directory`/settings/, and
/// writes sweep.csv and a summary.json that names the best setting by the sweep's pick.
RunOutcome run_sweep(const Scenario& sweep, const std::filesystem::path& directory,
                     const RunOptions& options);

}  // namespace sgdsim
