#pragma once
// `sgdsim compare`: one HOGWILD! scenario run for real on threads and in the simulator with
// compute times calibrated on this machine, side by side.

#include <filesystem>
#include <string>
#include <vector>

#include "app/runner.hpp"
#include "app/scenario.hpp"

namespace sgdsim {

/// Runs the HOGWILD! scenario `file` (with `overrides`) twice and writes under `directory`
/// (which must not exist; written atomically): `calibration.txt`, the measured wall seconds of
/// `calibration_updates` single updates on one thread; `threads/`, the real run (backend
/// threads, instrumented); `simulated/`, the simulated run whose compute time is drawn from
/// calibration.txt, with no memory costs on top (the calibration includes them); and
/// `threads-counted/`, the real run again with its counters on (they cost time). Its summary is
/// the table of the two: updates per second, the training loss at the same update counts,
/// collided and lost coordinate writes, and staleness; it goes to `comparison.txt` too. When
/// `options` interrupts it (checked after the calibration and within each run), the run under
/// way keeps what it did, no later one is made, and comparison.txt says so instead of comparing.
/// Throws ScenarioError when the scenario is not a HOGWILD! one.
RunOutcome compare_backends(const std::string& file, const std::vector<Override>& overrides,
                            const std::filesystem::path& directory, std::size_t calibration_updates,
                            const RunOptions& options = {});

}  // namespace sgdsim
