#pragma once
// Runs a HOGWILD! scenario for real, with threads on this machine (`backend: threads`), and
// writes the same run directory a simulated run writes, its times in wall-clock seconds.

#include <filesystem>

#include "app/runner.hpp"
#include "app/scenario.hpp"

namespace sgdsim {

/// Runs `scenario` on real threads and publishes its run directory at `directory` (which must not
/// exist): scenario.resolved.yaml, metrics.csv (sim_time_s holding the wall seconds spent
/// updating, evaluations excluded), coordinates.csv (instrumented runs: writes per coordinate)
/// and summary.json. No updates.csv or trace.json: recording every update would change what is
/// measured.
RunOutcome run_on_threads(const Scenario& scenario, const std::filesystem::path& directory,
                          const RunOptions& options = {});

}  // namespace sgdsim
