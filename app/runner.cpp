#include "app/runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cluster_builder.hpp"
#include "app/learning_problem.hpp"
#include "app/run_directory.hpp"
#include "app/summary.hpp"
#include "app/sweep_runner.hpp"
#include "sim/cluster/network.hpp"
#include "sim/engine/simulator.hpp"
#include "sim/observe/recorder.hpp"
#include "sim/observe/trace_writer.hpp"
#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

/// An output file of the run, opened in the staging folder, that must close cleanly.
struct OutputFile {
  OutputFile(const RunDirectory& dir, const std::string& name) : path(dir.staged(name)), out(path) {
    if (!out) throw RunDirectoryError("cannot write '" + path.string() + "'", 74);
  }
  void close() {
    out.close();
    if (!out) throw RunDirectoryError("writing '" + path.string() + "' failed", 74);
  }
  std::filesystem::path path;
  std::ofstream out;
};

/// The work of one task, in reference batches: a batch; a local-SGD task's batches; a share of
/// the whole data for full-batch and coordinate-parallel gradients.
double task_work(const Scenario& s, std::size_t train_size) {
  const double reference = s.reference_batch;
  if (s.algorithm == "local_sgd")
    return s.batch_size * static_cast<double>(s.local_steps) / reference;
  if (s.algorithm == "full_batch" || s.algorithm == "coordinate_parallel")
    return static_cast<double>(train_size) / s.workers / reference;
  return s.batch_size / reference;
}

/// The protocol the scenario's algorithm names.
std::unique_ptr<Protocol> make_protocol(const Scenario& s, ProtocolContext ctx,
                                        std::uint64_t dimension) {
  const std::string& a = s.algorithm;
  if (a == "ssp") return make_stale_synchronous(std::move(ctx), *s.staleness_bound);
  if (a == "all_reduce") return make_ring_all_reduce(std::move(ctx), dimension);
  if (a == "downpour")
    return make_downpour(std::move(ctx),
                         {s.fetch_every, s.push_every, s.local_step_size, s.background_fetch});
  if (a == "k_async" || a == "k_batch_async")
    return make_k_async(std::move(ctx), s.k, a == "k_batch_async");
  if (s.protocol == ProtocolType::kAsync) return make_asynchronous(std::move(ctx));
  return make_synchronous(std::move(ctx),
                          {s.wait_for, from_seconds(s.round_timeout), a == "k_batch_sync"});
}

std::vector<std::string> track_names(const Topology& t) {
  std::vector<std::string> names;
  for (NodeId n = 0; n < t.node_count(); ++n) names.push_back(t.node(n).name);
  return names;
}

}  // namespace

RunOutcome run_scenario(const Scenario& s, const std::filesystem::path& directory,
                        const RunOptions& options) {
  if (!s.settings.empty()) return run_sweep(s, directory, options);
  const auto wall_start = std::chrono::steady_clock::now();
  // Data first: a bad data file fails the run before anything is written.
  std::optional<LearningProblem> problem;
  if (s.learns()) problem = build_learning_problem(s);
  RunDirectory dir(directory);
  {
    OutputFile resolved(dir, "scenario.resolved.yaml");
    resolved.out << emit_yaml(s.resolved);
    resolved.close();
  }
  OutputFile updates(dir, "updates.csv"), metrics(dir, "metrics.csv");
  std::unique_ptr<OutputFile> rounds, trace_file;
  if (s.protocol == ProtocolType::kSync) rounds = std::make_unique<OutputFile>(dir, "rounds.csv");
  if (s.trace) trace_file = std::make_unique<OutputFile>(dir, "trace.json");

  Simulator sim;
  Cluster cluster = build_cluster(s);
  std::unique_ptr<TraceWriter> trace;
  if (trace_file)
    trace = std::make_unique<TraceWriter>(trace_file->out, track_names(cluster.topology()),
                                          s.trace_max_events);
  Network network(sim, cluster.topology(), s.seed, trace.get());
  std::unique_ptr<ModelLearner> model;
  TimingOnlyLearner timing_only;
  Learner& learner =
      problem ? static_cast<Learner&>(*(model = std::make_unique<ModelLearner>(problem->setup)))
              : timing_only;
  RecorderSinks sinks{s.updates_csv ? &updates.out : nullptr,
                      rounds ? &rounds->out : nullptr,
                      &metrics.out,
                      s.metrics_interval > 0.0 ? 0 : s.metrics_every,
                      {},
                      s.target_loss};
  if (model) sinks.evaluate = [&problem, &model] { return evaluate(*problem, *model); };
  Recorder recorder(std::move(sinks));
  const std::uint64_t dimension =
      problem ? static_cast<std::uint64_t>(problem->setup.initial.size()) : s.dimension;
  ProtocolContext ctx{
      sim,         cluster, network, recorder,
      trace.get(), learner, {},      task_work(s, problem ? problem->train->size() : 0)};
  for (std::uint32_t shard = 0; shard < s.parameter_nodes; ++shard)
    ctx.shard_bytes.push_back(s.shard_bytes(shard, dimension));
  ctx.header_bytes = s.header_bytes;
  ctx.value_bytes = s.value_bytes;
  if (model) recorder.sample(0);  // The untrained model's losses open metrics.csv.
  // Rows by simulated time: a recurring event that only reads the model.
  std::function<void()> sample_tick = [&] {
    recorder.sample(sim.now());
    sim.schedule_in(from_seconds(s.metrics_interval), EventAction(sample_tick));
  };
  if (s.metrics_interval > 0.0)
    sim.schedule_in(from_seconds(s.metrics_interval), EventAction(sample_tick));
  std::unique_ptr<Protocol> protocol = make_protocol(s, std::move(ctx), dimension);
  for (const auto& [w, at] : s.failures)
    sim.schedule_at(from_seconds(at), [&protocol, w] { protocol->fail_worker(w); });
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
  auto last_report = wall_start;
  while (reason == StopReason::kEventLimit && sim.events_fired() < s.stop_max_events) {
    stop.max_events = std::min<std::uint64_t>(1 << 16, s.stop_max_events - sim.events_fired());
    reason = sim.run(stop);
    const auto now = std::chrono::steady_clock::now();
    if (options.progress && now - wall_start > std::chrono::seconds(1) &&
        now - last_report > std::chrono::milliseconds(100)) {
      last_report = now;
      options.progress(fmt::format("{}: simulated {:.3f} s, {} updates, {} events", s.name,
                                   to_seconds(sim.now()), recorder.updates(), sim.events_fired()));
    }
  }
  recorder.finish(sim.now());
  if (trace) trace->finish();
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  const RunFacts facts{s,           sim,    recorder,     network,    cluster.topology(),
                       trace.get(), reason, wall_seconds, model.get()};
  {
    OutputFile summary(dir, "summary.json");
    summary.out << make_summary(facts).dump(2) << "\n";
    summary.close();
  }
  updates.close();
  metrics.close();
  if (rounds) rounds->close();
  if (trace_file) trace_file->close();
  dir.commit();
  return {directory, human_summary(facts) + "run directory: " + directory.string() + "\n"};
}

}  // namespace sgdsim
