#pragma once
// summary.json and the short terminal summary of a finished run.

#include <nlohmann/json.hpp>
#include <string>

#include "app/hogwild_report.hpp"
#include "app/scenario.hpp"
#include "sim/cluster/network.hpp"
#include "sim/engine/simulator.hpp"
#include "sim/learning/model_learner.hpp"
#include "sim/observe/recorder.hpp"

namespace sgdsim {

/// Everything a summary reports on, gathered at the end of a run.
struct RunFacts {
  const Scenario& scenario;
  const Simulator& sim;
  const Recorder& recorder;
  const Network& network;
  const Topology& topology;
  const TraceWriter* trace;  ///< Null when no trace was written.
  StopReason reason;
  double wall_seconds;
  const ModelLearner* model = nullptr;  ///< Null for timing-only runs.
  std::optional<HogwildFacts> hogwild;  ///< HOGWILD! runs only.
};

/// The `learning` object of summary.json, from a run's evaluations (at least one).
nlohmann::ordered_json learning_json(const Scenario& s, const EvaluationLog& evals);

/// The summary.json document. Everything but the `wall` object is deterministic.
nlohmann::ordered_json make_summary(const RunFacts& facts);

/// A few lines for a human at a terminal.
std::string human_summary(const RunFacts& facts);

}  // namespace sgdsim
