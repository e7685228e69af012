#pragma once
// A run directory read for the GUI: metrics.csv, rounds.csv, summary.json, the compute-time law of
// scenario.resolved.yaml and the per-worker activity of trace.json.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gui/csv_table.hpp"
#include "gui/trace_activity.hpp"

namespace sgdsim {

/// One row of metrics.csv. The learning columns are empty in timing-only runs.
struct MetricsRow {
  double time_s = 0.0;  ///< sim_time_s: simulated seconds (wall seconds for threaded runs).
  double update = 0.0;
  double epoch = 0.0;
  std::optional<double> train_loss, test_loss, test_accuracy;
};

/// One row of rounds.csv: a round (or stale-synchronous clock) and how long it took.
struct RoundRow {
  double end_s = 0.0;
  double duration_s = 0.0;
};

/// A link of the network and the bytes that crossed it.
struct LinkBytes {
  std::string between;  ///< "w0–ps0".
  double bytes = 0.0;
};

/// One line of the run panel: a label and its value, from summary.json.
struct RunFact {
  std::string label, value;
};

/// Everything the charts show of one run.
struct RunData {
  std::filesystem::path directory;
  std::string name;  ///< How legends call the run: the directory's name.
  std::vector<MetricsRow> metrics;
  std::vector<RoundRow> rounds;             ///< Empty without rounds.csv.
  std::vector<double> staleness_histogram;  ///< Gradients applied at staleness 0, 1, ...
  std::vector<double> blocked_s;            ///< Per worker (stale-synchronous parallel).
  std::vector<LinkBytes> links;             ///< Empty for real threaded runs.
  double duration_s = 0.0;                  ///< The run's simulated (or wall) time.
  bool wall_time = false;                   ///< Real threaded run: times are wall seconds.
  std::string algorithm;                    ///< algorithm.type.
  unsigned workers = 0;                     ///< cluster.workers.
  std::string compute_law;                  ///< compute.time's dist; empty when unknown.
  std::optional<TraceActivity> activity;    ///< From trace.json when there is one.
  std::vector<RunFact> facts;               ///< Headline figures, for the run panel.

  /// True when the run trained a model (metrics.csv has losses).
  bool learns() const;
  /// trace.json of the run (which may not exist).
  std::filesystem::path trace_file() const { return directory / "trace.json"; }
};

/// Reads the run directory `directory`. Throws RunDataError naming the file (and line) when
/// metrics.csv or summary.json is missing or malformed, or an optional file is malformed.
RunData load_run(const std::filesystem::path& directory);

/// The runs of `directory`: itself, or each setting of a hyperparameter sweep (settings/*, named
/// by their folders: "1-step_size=0.01", ...). Throws RunDataError as load_run does.
std::vector<RunData> load_runs(const std::filesystem::path& directory);

}  // namespace sgdsim
