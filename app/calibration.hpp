#pragma once
// `sgdsim calibrate`: this machine's time per task of a scenario, measured, and written as a
// samples file that a scenario's compute time can draw from ({dist: empirical, file: ...}).

#include <filesystem>
#include <string>
#include <vector>

#include "app/scenario.hpp"

namespace sgdsim {

/// Summary figures of measured times, in seconds.
struct TimingStats {
  double mean = 0.0, p50 = 0.0, p90 = 0.0, p99 = 0.0;
};

/// The mean and quantiles (nearest rank) of `times`, which must not be empty.
TimingStats timing_stats(std::vector<double> times);

/// Wall seconds of `count` single tasks of `s` on one thread of this machine: for
/// algorithm.type hogwild, one update each (sample a term, read, compute, write); otherwise the
/// gradient of one batch of algorithm.batch_size samples on the initial model. The first tenth
/// (at most 1,000) more are run first and not kept, so caches and branch predictors are warm.
std::vector<double> measure_task_times(const Scenario& s, std::size_t count);

/// Writes `times` to `file` as a samples file: `comment` as '#' lines, then one value in seconds
/// per line. Written to a temporary file and renamed, so a failed write leaves nothing; an
/// existing file is never replaced (RunDirectoryError 73), unless `replace`.
void write_samples_file(const std::filesystem::path& file, const std::vector<double>& times,
                        const std::string& comment, bool replace);

/// What `sgdsim calibrate` does: measures `count` tasks of `s`, writes them to `file` (default:
/// NAME.timings.txt beside the scenario), and returns a few lines for the terminal.
std::string calibrate(const Scenario& s, std::filesystem::path file, std::size_t count,
                      bool replace);

}  // namespace sgdsim
