#include "app/strategies.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "app/hogwild_report.hpp"
#include "app/yaml_paths.hpp"
#include "sim/protocols/hogwild.hpp"

namespace sgdsim {
namespace {

using Inputs = ProtocolInputs;
constexpr ProtocolType kRounds = ProtocolType::kSync;
constexpr ProtocolType kOnArrival = ProtocolType::kAsync;

// Protocols.

RoundSettings rounds(const Scenario& s, bool batches = false) {
  return {s.wait_for, from_seconds(s.round_timeout), batches};
}
std::unique_ptr<Protocol> synchronous(const Scenario& s, ProtocolContext ctx, const Inputs&) {
  return make_synchronous(std::move(ctx), rounds(s));
}
std::unique_ptr<Protocol> k_batch_sync(const Scenario& s, ProtocolContext ctx, const Inputs&) {
  return make_synchronous(std::move(ctx), rounds(s, true));
}
std::unique_ptr<Protocol> asynchronous(const Scenario&, ProtocolContext ctx, const Inputs&) {
  return make_asynchronous(std::move(ctx));
}
std::unique_ptr<Protocol> k_async(const Scenario& s, ProtocolContext ctx, const Inputs&) {
  return make_k_async(std::move(ctx), s.k, false);
}
std::unique_ptr<Protocol> k_batch_async(const Scenario& s, ProtocolContext ctx, const Inputs&) {
  return make_k_async(std::move(ctx), s.k, true);
}
std::unique_ptr<Protocol> ssp(const Scenario& s, ProtocolContext ctx, const Inputs&) {
  return make_stale_synchronous(std::move(ctx), *s.staleness_bound);
}
std::unique_ptr<Protocol> all_reduce(const Scenario&, ProtocolContext ctx, const Inputs& in) {
  return make_ring_all_reduce(std::move(ctx), in.dimension);
}
std::unique_ptr<Protocol> downpour(const Scenario& s, ProtocolContext ctx, const Inputs&) {
  return make_downpour(std::move(ctx),
                       {s.fetch_every, s.push_every, s.local_step_size, s.background_fetch});
}
std::unique_ptr<Protocol> hogwild(const Scenario& s, ProtocolContext ctx, const Inputs& in) {
  const HogwildSpec& h = s.hogwild;
  return make_hogwild(std::move(ctx), *in.shared,
                      {h.variant, h.writes, from_seconds(h.read_cost), from_seconds(h.write_cost),
                       h.batch, s.seed});
}

// Checks and derived values.

/// K-sync and K-async: an update is K gradients; without batches a worker gives one at most.
void resolve_k(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  const bool batches = s.algorithm == "k_batch_sync" || s.algorithm == "k_batch_async";
  if (s.k > s.workers && !batches)
    ctx.fail(position_of(root, "algorithm.k"),
             "algorithm.k " + std::to_string(s.k) + " exceeds the " + std::to_string(s.workers) +
                 " workers (k_batch_sync and k_batch_async allow it)");
  s.wait_for = s.k;
}
void resolve_backup(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  if (s.backup_workers >= s.workers)
    ctx.fail(position_of(root, "algorithm.backup_workers"),
             "algorithm.backup_workers must be fewer than the " + std::to_string(s.workers) +
                 " workers");
  s.wait_for = s.workers - s.backup_workers;
}
void resolve_all_reduce(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  if (lookup(root, "cluster.parameter_nodes"))
    ctx.fail(position_of(root, "cluster.parameter_nodes"),
             "all_reduce has no parameter node: the workers reduce among themselves");
  if (s.workers < 2)
    ctx.fail(position_of(root, "cluster.workers"), "all_reduce needs at least 2 workers");
  if (s.compression.kind != CompressionSettings::Kind::kNone)
    ctx.fail(position_of(root, "algorithm.compression"),
             "all_reduce sums gradients on the way: compression applies to pushes only");
  s.parameter_nodes = 0;
}
/// Strategies defined by what their tasks compute cannot run without a model.
void require_model(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  if (!s.learns())
    ctx.fail(position_of(root, "algorithm.type"),
             s.algorithm + " is defined by what it computes: set model.type to something to train");
}

// What tasks compute.

void local_steps(const Scenario& s, LearningSetup& setup) {
  setup.local_steps = s.local_steps;
}
void full_partition(const Scenario&, LearningSetup& setup) {
  setup.scope = LearningSetup::Scope::kFullPartition;
}
void coordinate_block(const Scenario&, LearningSetup& setup) {
  setup.scope = LearningSetup::Scope::kCoordinateBlock;
}
void accrued_batches(const Scenario& s, LearningSetup& setup) {
  setup.accumulate = s.push_every;
}

// Names in the summary.

/// The strategy's name and what sets it apart from its family's plain form.
std::string by_family(const Scenario& s) {
  const bool in_rounds = s.protocol == kRounds;
  if (in_rounds && s.wait_for != s.workers)
    return fmt::format("{} (rounds wait for {} gradients)", s.algorithm, s.wait_for);
  if (!in_rounds && s.wait_for != 1)
    return fmt::format("{} ({} gradients per update)", s.algorithm, s.wait_for);
  return fmt::format("{} ({})", s.algorithm, in_rounds ? "synchronous" : "asynchronous");
}
std::string synchronous_name(const Scenario&) {
  return "synchronous";
}
std::string asynchronous_name(const Scenario&) {
  return "asynchronous";
}
std::string ssp_name(const Scenario& s) {
  return fmt::format("ssp (staleness bound {})", *s.staleness_bound);
}
std::string all_reduce_name(const Scenario&) {
  return "synchronous by ring all-reduce";
}
std::string hogwild_name(const Scenario& s) {
  return fmt::format("HOGWILD! ({}, {} writes)", variant_name(s.hogwild.variant),
                     writes_name(s.hogwild.writes));
}

}  // namespace

const std::vector<Strategy>& strategies() {
  static const std::vector<Strategy> table = {
      {"sync",
       "synchronous SGD",
       "",
       "every worker pulls, computes and pushes; each parameter node waits for all pushes, then "
       "applies one update (the mean of the gradients).",
       kRounds,
       {},
       nullptr,
       nullptr,
       synchronous,
       synchronous_name},
      {"async",
       "asynchronous SGD",
       "",
       "each push is applied on arrival and the pusher gets the new model.",
       kOnArrival,
       {},
       nullptr,
       nullptr,
       asynchronous,
       asynchronous_name},
      {"k_sync",
       "K-sync SGD",
       "Dutta et al. 2018",
       "a round waits for the first `algorithm.k` gradients and preempts the "
       "other workers.",
       kRounds,
       {"algorithm.k"},
       resolve_k,
       nullptr,
       synchronous,
       by_family},
      {"k_batch_sync",
       "K-batch-sync SGD",
       "",
       "the same, but a worker that has pushed computes another batch on the round's model at "
       "once.",
       kRounds,
       {"algorithm.k"},
       resolve_k,
       nullptr,
       k_batch_sync,
       by_family},
      {"k_async",
       "K-async SGD",
       "",
       "a node applies the mean of any `algorithm.k` gradients, stale or not, and sends the new "
       "model to those k workers.",
       kOnArrival,
       {"algorithm.k"},
       resolve_k,
       nullptr,
       k_async,
       by_family},
      {"k_batch_async",
       "K-batch-async SGD",
       "",
       "the same, but every pusher gets the node's current model at once.",
       kOnArrival,
       {"algorithm.k"},
       resolve_k,
       nullptr,
       k_batch_async,
       by_family},
      {"backup",
       "synchronous SGD with backup workers",
       "Chen et al. 2016",
       "of the `cluster.workers` workers, `algorithm.backup_workers` are "
       "backups: a round waits for the others' count of gradients and drops the late ones.",
       kRounds,
       {},
       resolve_backup,
       nullptr,
       synchronous,
       by_family},
      {"ssp",
       "stale-synchronous parallel (SSP)",
       "Ho et al. 2013",
       "stale-synchronous parallel, no worker more than "
       "`algorithm.staleness_bound` clocks ahead of the slowest.",
       kRounds,
       {"algorithm.staleness_bound"},
       nullptr,
       nullptr,
       ssp,
       ssp_name},
      {"all_reduce",
       "synchronous SGD by ring all-reduce",
       "",
       "synchronous SGD by ring all-reduce between the workers, without a parameter node.",
       kRounds,
       {},
       resolve_all_reduce,
       nullptr,
       all_reduce,
       all_reduce_name},
      {"local_sgd",
       "local SGD",
       "",
       "each worker runs `algorithm.local_steps` steps on its own copy, then the parameter node "
       "averages the workers' models (one-shot averaging: a single round of many steps).",
       kRounds,
       {},
       require_model,
       local_steps,
       synchronous,
       by_family},
      {"full_batch",
       "full-batch gradient descent",
       "",
       "each worker computes the gradient of its whole partition, the node sums them (gradient "
       "descent).",
       kRounds,
       {},
       require_model,
       full_partition,
       synchronous,
       by_family},
      {"coordinate_parallel",
       "coordinate-parallel gradients",
       "",
       "each worker holds all the data and computes one block of the gradient's coordinates.",
       kRounds,
       {},
       require_model,
       coordinate_block,
       synchronous,
       by_family},
      {"downpour",
       "Downpour SGD",
       "Dean et al. 2012",
       "asynchronous; workers fetch the model every `algorithm.fetch_every` "
       "steps and push their summed gradients every `algorithm.push_every`; pair it with "
       "`algorithm.update: adagrad` and several parameter nodes.",
       kOnArrival,
       {},
       nullptr,
       accrued_batches,
       downpour,
       by_family},
      {"hogwild",
       "HOGWILD!",
       "Niu et al. 2011",
       "the workers are cores updating one shared model term by term without "
       "locks (see the `hogwild` section and `backend`).",
       kOnArrival,
       {},
       nullptr,
       nullptr,
       hogwild,
       hogwild_name},
  };
  return table;
}

const Strategy& strategy_named(std::string_view name) {
  for (const Strategy& s : strategies())
    if (s.name == name) return s;
  std::string known;
  for (const Strategy& s : strategies()) known += (known.empty() ? "" : ", ") + std::string(s.name);
  throw std::invalid_argument(
      fmt::format("unknown algorithm.type '{}': the strategies are {}", name, known));
}

std::string strategies_help() {
  std::string help = "The synchronisation strategy.";
  for (const Strategy& s : strategies())
    help += s.source.empty() ? fmt::format(" `{}`: {}", s.name, s.help)
                             : fmt::format(" `{}` ({}): {}", s.name, s.source, s.help);
  return help + " See docs/strategies.md.";
}

}  // namespace sgdsim
