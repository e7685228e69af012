#pragma once
// Runs a scenario in the simulator and writes its run directory.

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "app/scenario.hpp"

namespace sgdsim {

/// How a run reports while it goes.
struct RunOptions {
  /// Called about every tenth of a second of wall time once a run has lasted a second, with a
  /// one-line progress text; empty to stay silent.
  std::function<void(const std::string&)> progress;
  /// Asked after each slice of up to 65,536 simulated events; returning true abandons the run with
  /// RunCancelled, leaving nothing behind. Empty: the run is never cancelled.
  std::function<bool()> cancelled;
};

/// A run was abandoned because RunOptions::cancelled said so; no run directory was written.
class RunCancelled : public std::runtime_error {
 public:
  RunCancelled() : std::runtime_error("the run was cancelled") {}
};

/// What a finished run produced.
struct RunOutcome {
  std::filesystem::path directory;
  std::string human_summary;  ///< A few lines for the terminal.
};

/// Simulates `scenario` and publishes its run directory at `directory` (which must not exist).
/// Throws RunDirectoryError when the directory cannot be written; leaves nothing behind on failure.
RunOutcome run_scenario(const Scenario& scenario, const std::filesystem::path& directory,
                        const RunOptions& options = {});

}  // namespace sgdsim
