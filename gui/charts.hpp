#pragma once
// The charts of the GUI and of `sgdsim plot`, each built from one or more runs. The caller owns
// the chart (a QChartView takes it over with setChart(chart.release())).

#include <QtCharts/QChart>
#include <memory>
#include <vector>

#include "gui/run_data.hpp"

namespace sgdsim {

/// What the convergence chart's x axis measures.
enum class XMeasure { kTime, kUpdates, kEpochs };

/// How the convergence chart is drawn.
struct ConvergenceOptions {
  XMeasure x = XMeasure::kTime;
  bool log_y = false;  ///< A logarithmic loss axis (non-positive losses are left out).
};

/// Training and test loss of every run that trained a model, against `options.x`, one colour per
/// run; test accuracy on a second axis (0 to 1) when a run measured it.
std::unique_ptr<QChart> make_convergence_chart(const std::vector<RunData>& runs,
                                               const ConvergenceOptions& options = {});

/// The staleness histogram of every run as fractions of its gradients, side by side, with the
/// geometric law P(tau = k) = (1/P)(1 - 1/P)^k overlaid for asynchronous runs whose compute times
/// are exponential. A long tail is gathered into a last "k+" bar.
std::unique_ptr<QChart> make_staleness_chart(const std::vector<RunData>& runs);

/// The fraction of the run each worker spent computing, waiting (or blocked) and otherwise
/// (sending, idle), stacked, from trace.json; from summary.json's blocked_s when there is no trace.
std::unique_ptr<QChart> make_activity_chart(const RunData& run);

/// How long each round (or stale-synchronous clock) took, against when it ended, per run.
std::unique_ptr<QChart> make_rounds_chart(const std::vector<RunData>& runs);

/// Bytes that crossed each link of the network, one bar per link and run.
std::unique_ptr<QChart> make_network_chart(const std::vector<RunData>& runs);

}  // namespace sgdsim
