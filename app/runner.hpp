#pragma once
// Runs a scenario in the simulator and writes its run directory.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/scenario.hpp"
#include "sim/protocols/learner.hpp"

namespace sgdsim {

/// How far a run has come.
struct RunProgress {
  std::string line;  ///< One line for a terminal or a status bar: time, updates, events.
  /// The part done, in [0, 1], by the nearer of the scenario's stop.updates and stop.time (every
  /// run has one of them); a run that reaches its target loss ends sooner.
  double fraction = 0.0;
};

/// How a run reports while it goes.
struct RunOptions {
  /// Called about every tenth of a second of wall time once a run has lasted `first_progress` (on
  /// the threads backend: at each evaluation); empty to stay silent.
  std::function<void(const RunProgress&)> progress;
  /// Wall time before the first progress report of a simulated run: short runs stay silent.
  std::chrono::milliseconds first_progress{1000};
  /// Asked once the data are loaded, then after each slice of up to 65,536 simulated events (on
  /// the threads backend: at each evaluation); returning true abandons the run with RunCancelled,
  /// leaving nothing behind. Empty: the run is never cancelled.
  std::function<bool()> cancelled;
  /// Asked at the same points (and by each thread of the threads backend every few thousand of
  /// its updates, so it must be cheap and safe to call from several threads at once); returning
  /// true stops the run there, keeping what it did: the run directory is written with everything
  /// so far and summary.json's stop_reason "interrupted". Empty: the run is never interrupted.
  std::function<bool()> interrupted;
  /// Wraps the learner that the simulated protocol talks to (given the run's own), for checks
  /// and instrumentation; the wrapper must forward every call. tests/checking_learner.hpp proves
  /// with it that every applied gradient is the one computed on the version its update records.
  /// Empty: the protocol talks to the run's learner.
  std::function<std::unique_ptr<Learner>(Learner&)> wrap_learner;
  /// Threads computing a learning run's gradients (sim/learning/parallel_tasks.hpp). Every
  /// output is the same bits whatever the number; only the wall time differs.
  std::uint32_t threads = 1;
};

/// The part of `s` done after `updates` updates at (simulated or wall) time `seconds`: the larger
/// of the fractions of stop.updates and stop.time that are set, capped at 1.
double fraction_done(const Scenario& s, std::uint64_t updates, double seconds);

/// Throws RunCancelled when `options` says the run is cancelled.
void check_cancelled(const RunOptions& options);

/// A run was abandoned because RunOptions::cancelled said so; no run directory was written.
class RunCancelled : public std::runtime_error {
 public:
  RunCancelled() : std::runtime_error("the run was cancelled") {}
};

/// What a finished run produced.
struct RunOutcome {
  std::filesystem::path directory;
  std::string human_summary;  ///< A few lines for the terminal.
  bool interrupted = false;   ///< RunOptions::interrupted stopped it before its stop condition.
};

/// True when `options` says the run is to stop and keep what it did.
bool is_interrupted(const RunOptions& options);

/// Simulates `scenario` and publishes its run directory at `directory` (which must not exist).
/// Throws RunDirectoryError when the directory cannot be written; leaves nothing behind on failure.
RunOutcome run_scenario(const Scenario& scenario, const std::filesystem::path& directory,
                        const RunOptions& options = {});

}  // namespace sgdsim
