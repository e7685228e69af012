#include "app/runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cluster_builder.hpp"
#include "app/hogwild_problem.hpp"
#include "app/hogwild_report.hpp"
#include "app/learning_problem.hpp"
#include "app/run_directory.hpp"
#include "app/strategies.hpp"
#include "app/summary.hpp"
#include "app/sweep_runner.hpp"
#include "app/threads_runner.hpp"
#include "sim/cluster/network.hpp"
#include "sim/engine/simulator.hpp"
#include "sim/observe/recorder.hpp"
#include "sim/observe/trace_writer.hpp"
#include "sim/protocols/hogwild.hpp"
#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

/// The work of one task, in reference batches: a batch; a local-SGD task's batches; a share of
/// the whole data for full-batch and coordinate-parallel gradients. `problem` is null in a
/// timing-only run, whose tasks are batches.
double task_work(const Scenario& s, const LearningProblem* problem) {
  const double reference = s.reference_batch;
  if (problem && problem->setup.local_steps > 0)
    return s.batch_size * static_cast<double>(problem->setup.local_steps) / reference;
  if (problem && problem->setup.scope != LearningSetup::Scope::kSampled)
    return static_cast<double>(problem->train->size()) / s.workers / reference;
  return s.batch_size / reference;
}

std::vector<std::string> track_names(const Topology& t) {
  std::vector<std::string> names;
  for (NodeId n = 0; n < t.node_count(); ++n) names.push_back(t.node(n).name);
  return names;
}

}  // namespace

double fraction_done(const Scenario& s, std::uint64_t updates, double seconds) {
  double done = 0.0;
  if (s.stop_updates > 0) done = double(updates) / double(s.stop_updates);
  if (s.stop_time > 0.0) done = std::max(done, seconds / s.stop_time);
  return std::min(done, 1.0);
}

void check_cancelled(const RunOptions& options) {
  if (options.cancelled && options.cancelled()) throw RunCancelled();
}

bool is_interrupted(const RunOptions& options) {
  return options.interrupted && options.interrupted();
}

RunOutcome run_scenario(const Scenario& s, const std::filesystem::path& directory,
                        const RunOptions& options) {
  if (!s.settings.empty()) return run_sweep(s, directory, options);
  if (s.hogwild.backend == HogwildSpec::Backend::kThreads)
    return run_on_threads(s, directory, options);
  const auto wall_start = std::chrono::steady_clock::now();
  const Strategy& strategy = strategy_named(s.algorithm);  // An unknown one fails here, first.
  // Data first: a bad data file fails the run before anything is written.
  std::optional<LearningProblem> problem;
  std::optional<HogwildProblem> shared_problem;
  if (s.algorithm == "hogwild")
    shared_problem = build_hogwild_problem(s);
  else if (s.learns())
    problem = build_learning_problem(s);
  if (problem) problem->setup.threads = options.threads;
  check_cancelled(options);
  RunDirectory dir(directory);
  write_staged(dir, "scenario.resolved.yaml", emit_yaml(s.resolved));
  StagedFile updates(dir, "updates.csv"), metrics(dir, "metrics.csv");
  std::unique_ptr<StagedFile> rounds, trace_file;
  if (s.has_rounds()) rounds = std::make_unique<StagedFile>(dir, "rounds.csv");
  std::unique_ptr<StagedFile> coordinates;
  if (shared_problem) coordinates = std::make_unique<StagedFile>(dir, "coordinates.csv");
  if (s.trace) trace_file = std::make_unique<StagedFile>(dir, "trace.json");

  Simulator sim;
  Cluster cluster = build_cluster(s);
  std::unique_ptr<TraceWriter> trace;
  if (trace_file)
    trace = std::make_unique<TraceWriter>(trace_file->out, track_names(cluster.topology()),
                                          s.trace_max_events);
  Network network(sim, cluster.topology(), s.seed, trace.get());
  std::unique_ptr<ModelLearner> model;
  TimingOnlyLearner timing_only;
  Learner& run_learner =
      problem ? static_cast<Learner&>(*(model = std::make_unique<ModelLearner>(problem->setup)))
              : timing_only;
  const std::unique_ptr<Learner> wrapped =
      options.wrap_learner ? options.wrap_learner(run_learner) : nullptr;
  Learner& learner = wrapped ? *wrapped : run_learner;
  std::unique_ptr<SharedMemoryModel> shared;
  if (shared_problem)
    shared = std::make_unique<SharedMemoryModel>(shared_problem->train, shared_problem->initial,
                                                 s.update.step, shared_problem->partitions, s.seed);
  RecorderSinks sinks{s.updates_csv ? &updates.out : nullptr,
                      rounds ? &rounds->out : nullptr,
                      &metrics.out,
                      s.metrics_interval > 0.0 ? 0 : s.metrics_every,
                      s.updates_max_rows,
                      {},
                      s.target_loss};
  if (model) sinks.evaluate = [&problem, &model] { return evaluate(*problem, *model); };
  if (shared)
    sinks.evaluate = [&shared_problem, &shared] {
      return evaluate(*shared_problem, shared->parameters(), shared->version());
    };
  Recorder recorder(std::move(sinks));
  const std::uint64_t dimension = problem
                                      ? static_cast<std::uint64_t>(problem->setup.initial.size())
                                  : shared ? shared->parameters().size()
                                           : s.dimension;
  ProtocolContext ctx{sim,         cluster, network, recorder,
                      trace.get(), learner, {},      task_work(s, problem ? &*problem : nullptr)};
  for (std::uint32_t shard = 0; shard < s.parameter_nodes; ++shard)
    ctx.shard_bytes.push_back(s.shard_bytes(shard, dimension));
  ctx.header_bytes = s.header_bytes;
  ctx.value_bytes = s.value_bytes;
  if (model || shared) recorder.sample(0);  // The untrained model's losses open metrics.csv.
  // Rows by simulated time: a recurring event that only reads the model.
  std::function<void()> sample_tick = [&] {
    recorder.sample(sim.now());
    sim.schedule_in(from_seconds(s.metrics_interval), EventAction(sample_tick));
  };
  if (s.metrics_interval > 0.0)
    sim.schedule_in(from_seconds(s.metrics_interval), EventAction(sample_tick));
  std::unique_ptr<Protocol> protocol = strategy.make(s, std::move(ctx), {dimension, shared.get()});
  for (const auto& [w, at] : s.failures)
    sim.schedule_at(from_seconds(at), [&protocol, w = w] { protocol->fail_worker(w); });
  protocol->start();

  // Run in slices of events so that a long run can report progress; slicing changes nothing in
  // the simulation, only how often the wall clock is read.
  StopCondition stop;
  stop.until = s.stop_time > 0.0 ? from_seconds(s.stop_time) : kTimeNever;
  const std::uint64_t max_updates = s.stop_updates > 0 ? s.stop_updates : UINT64_MAX;
  if (s.stop_updates > 0 || s.target_loss)
    stop.predicate = [&recorder, max_updates] {
      return recorder.updates() >= max_updates ||
             recorder.evaluations().target_reached().has_value();
    };
  StopReason reason = StopReason::kEventLimit;
  std::optional<std::chrono::steady_clock::time_point> last_report;
  // Slices start at 64 events and double up to 65,536 while one takes under 25 ms of wall time,
  // halving when one takes over 100 ms (the events of a large model can take milliseconds each),
  // so a cancel or an interrupt is answered and progress reported within a fraction of a second.
  std::uint64_t slice = 64;
  while (reason == StopReason::kEventLimit && sim.events_fired() < s.stop_max_events) {
    const auto slice_start = std::chrono::steady_clock::now();
    stop.max_events = std::min<std::uint64_t>(slice, s.stop_max_events - sim.events_fired());
    reason = sim.run(stop);
    check_cancelled(options);
    // Only a run stopped between slices is interrupted: one that ended in this slice is whole.
    if (reason == StopReason::kEventLimit && sim.events_fired() < s.stop_max_events &&
        is_interrupted(options))
      reason = StopReason::kRequested;
    const auto now = std::chrono::steady_clock::now();
    if (now - slice_start > std::chrono::milliseconds(100))
      slice = std::max<std::uint64_t>(1, slice / 2);
    else if (now - slice_start < std::chrono::milliseconds(25))
      slice = std::min<std::uint64_t>(1 << 16, slice * 2);
    if (options.progress && now - wall_start >= options.first_progress &&
        (!last_report || now - *last_report > std::chrono::milliseconds(100))) {
      last_report = now;
      options.progress({fmt::format("{}: simulated {:.3f} s, {} updates, {} events", s.name,
                                    to_seconds(sim.now()), recorder.updates(), sim.events_fired()),
                        fraction_done(s, recorder.updates(), to_seconds(sim.now()))});
    }
  }
  recorder.finish(sim.now());
  if (trace) trace->finish();
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  RunFacts facts{s,           sim,    recorder,     network,     cluster.topology(),
                 trace.get(), reason, wall_seconds, model.get(), std::nullopt};
  if (shared) {
    facts.hogwild = HogwildFacts{totals(shared->counts()), shared_problem->sparsity};
    write_coordinates_csv(coordinates->out, shared->counts());
    coordinates->close();
  }
  write_staged(dir, "summary.json", make_summary(facts).dump(2) + "\n");
  updates.close();
  metrics.close();
  if (rounds) rounds->close();
  if (trace_file) trace_file->close();
  dir.commit();
  return {directory, human_summary(facts) + "run directory: " + directory.string() + "\n",
          reason == StopReason::kRequested};
}

}  // namespace sgdsim
