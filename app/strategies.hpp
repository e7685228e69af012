#pragma once
// The synchronisation strategies, each declared once, in one table: its name in scenarios, its
// help, its family, the keys it requires, its checks, what its tasks compute, its protocol and
// the name the summary gives it. The loader, the runner, the summary, the docs and the GUI all
// read this table, so adding a strategy is adding a row (in the spirit of SimGrid's model
// description tables).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/scenario.hpp"
#include "app/scenario_keys.hpp"
#include "sim/learning/model_learner.hpp"
#include "sim/learning/shared_memory_model.hpp"
#include "sim/protocols/protocol.hpp"

namespace sgdsim {

/// What a strategy's protocol is built from, besides the scenario and its context.
struct ProtocolInputs {
  std::uint64_t dimension = 0;          ///< Parameters of the model (or of a timing-only one).
  SharedMemoryModel* shared = nullptr;  ///< HOGWILD!'s shared model; null for the others.
};

/// One synchronisation strategy (`algorithm.type`).
struct Strategy {
  std::string_view name;    ///< As written in a scenario.
  std::string_view title;   ///< What people call it, e.g. "stale-synchronous parallel (SSP)".
  std::string_view source;  ///< The paper it comes from, e.g. "Ho et al. 2013"; may be empty.
  std::string_view help;    ///< One or two sentences of Markdown for the reference.
  ProtocolType family;      ///< Updates in rounds (or clocks), or on arrival.
  /// Keys a scenario of this strategy must set (they have no default).
  std::vector<std::string_view> required;
  /// Checks the strategy's keys against the rest of the scenario (failing at a position of
  /// `root`) and works out the values that follow from them; null: nothing to check.
  void (*resolve)(const YamlNode& root, Scenario& s, const LoadContext& ctx);
  /// What a task computes when a model is trained (local steps, whole partitions, ...); null:
  /// one sampled batch.
  void (*configure_learning)(const Scenario& s, LearningSetup& setup);
  /// The strategy's protocol.
  std::unique_ptr<Protocol> (*make)(const Scenario& s, ProtocolContext ctx,
                                    const ProtocolInputs& in);
  /// How the printed summary names a run of it, e.g. "ssp (staleness bound 3)".
  std::string (*display)(const Scenario& s);
};

/// Every strategy, in the order the reference lists them.
const std::vector<Strategy>& strategies();

/// The strategy named `name`. Throws std::invalid_argument, naming the known ones, for any
/// other: an unknown strategy never runs as another.
const Strategy& strategy_named(std::string_view name);

/// The help of `algorithm.type`: every strategy's name and help.
std::string strategies_help();

}  // namespace sgdsim
