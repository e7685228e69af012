#include "app/threads_runner.hpp"

#include <fmt/format.h>

#include "app/hogwild_problem.hpp"
#include "app/hogwild_report.hpp"
#include "app/run_directory.hpp"
#include "app/summary.hpp"
#include "hogwild/threaded_hogwild.hpp"
#include "sim/observe/recorder.hpp"

namespace sgdsim {
namespace {

/// Mean and largest staleness of a histogram (index = staleness).
std::pair<double, std::size_t> staleness_stats(const std::vector<std::uint64_t>& histogram) {
  double sum = 0.0, count = 0.0;
  for (std::size_t k = 0; k < histogram.size(); ++k) {
    sum += static_cast<double>(k * histogram[k]);
    count += static_cast<double>(histogram[k]);
  }
  return {count > 0 ? sum / count : 0.0, histogram.empty() ? 0 : histogram.size() - 1};
}

/// The spread of wall time per update: quantiles, and the histogram's non-empty buckets.
nlohmann::ordered_json update_times_json(const UpdateTimes& t) {
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  const auto& counts = t.histogram.counts();
  for (std::size_t b = 0; b < counts.size(); ++b)
    if (counts[b] > 0) buckets.push_back({LogHistogram::lower(b), counts[b]});
  return {{"timed_one_in", t.every},
          {"timed", t.histogram.count()},
          {"p50", t.p50},
          {"p90", t.p90},
          {"p99", t.p99},
          {"histogram", buckets}};
}

}  // namespace

RunOutcome run_on_threads(const Scenario& s, const std::filesystem::path& directory,
                          const RunOptions& options) {
  const HogwildProblem problem = build_hogwild_problem(s);
  check_cancelled(options);
  RunDirectory dir(directory);
  write_staged(dir, "scenario.resolved.yaml", emit_yaml(s.resolved));
  StagedFile metrics(dir, "metrics.csv");

  // The recorder writes metrics.csv as for a simulated run, fed in bulk at each evaluation,
  // while the threads wait at their barrier.
  std::span<const double> model;
  std::uint64_t recorded = 0;
  RecorderSinks sinks{nullptr, nullptr, &metrics.out, 0, 0, {}, s.target_loss};
  sinks.evaluate = [&] { return evaluate(problem, model, recorded); };
  Recorder recorder(std::move(sinks));
  ThreadedSettings settings;
  settings.threads = s.workers;
  settings.writes = s.hogwild.writes;
  settings.step = s.update.step;
  settings.updates = s.stop_updates;
  settings.partition = problem.partitions;
  settings.seed = s.seed;
  settings.evaluate_every = s.metrics_every;
  settings.instrument = s.hogwild.instrument;
  if (s.hogwild.pin_threads) settings.cpus = available_cpus();
  settings.stop = options.interrupted;
  const ThreadedResult r = run_threaded_hogwild(
      *problem.train, problem.initial, settings,
      [&](const EvaluationPoint& point, std::span<const double> x) {
        // Throwing here stops the threads at this barrier; the run rethrows it once they joined.
        check_cancelled(options);  // Before the evaluation, which can take a while.
        model = x;
        recorder.updates_made(point.updates - recorded);
        recorded = point.updates;
        recorder.sample(from_seconds(point.wall_seconds));
        if (options.progress)
          options.progress(
              {fmt::format("{}: {} updates, {:.3f} s", s.name, point.updates, point.wall_seconds),
               fraction_done(s, point.updates, 0.0)});
      });
  metrics.close();

  HogwildFacts facts{{}, problem.sparsity};
  if (s.hogwild.instrument) {
    for (const std::uint64_t w : r.coordinate_writes) facts.totals.writes += w;
    facts.totals.collisions = r.conflicts;
    facts.totals.lost = r.lost_updates;
    StagedFile coordinates(dir, "coordinates.csv");
    write_coordinates_csv(coordinates.out,
                          {r.coordinate_writes, std::vector<std::uint64_t>(r.x.size(), 0),
                           std::vector<std::uint64_t>(r.x.size(), 0)});
    coordinates.close();
  }
  const auto [staleness_mean, staleness_max] = staleness_stats(r.staleness_histogram);
  nlohmann::ordered_json j;
  j["scenario"] = s.name;
  j["seed"] = s.seed;
  j["algorithm"] = s.algorithm;
  j["backend"] = "threads";
  j["time_base"] = "wall";  // sim_time_s here and in metrics.csv: wall seconds spent updating.
  j["workers"] = s.workers;
  j["pinned"] = r.pinned;
  j["stop_reason"] = r.stopped ? "interrupted" : "stop.updates reached";
  j["updates"] = r.updates;
  j["gradients"] = r.updates;
  j["gradients_dropped"] = 0;
  j["sim_time_s"] = r.wall_seconds;
  j["updates_per_s"] = r.updates_per_second;
  if (s.hogwild.instrument)
    j["staleness"] = {
        {"mean", staleness_mean}, {"max", staleness_max}, {"histogram", r.staleness_histogram}};
  if (!recorder.evaluations().empty()) j["learning"] = learning_json(s, recorder.evaluations());
  j["hogwild"] = hogwild_json(s, facts);
  if (!s.hogwild.instrument) j["hogwild"]["counted"] = false;  // Speed runs count nothing.
  j["wall"] = {{"seconds", r.wall_seconds}, {"update_time_s", update_times_json(r.update_times)}};
  write_staged(dir, "summary.json", j.dump(2) + "\n");
  dir.commit();

  std::string text = fmt::format(
      "{}: HOGWILD! on {} threads ({} writes), for real\n"
      "  {} updates in {:.4g} s of wall time ({:.4g} updates/s); wall time per update p50 {:.3g} "
      "us, p90 {:.3g} us, p99 {:.3g} us\n",
      s.name, s.workers, writes_name(s.hogwild.writes), r.updates, r.wall_seconds,
      r.updates_per_second, r.update_times.p50 * 1e6, r.update_times.p90 * 1e6,
      r.update_times.p99 * 1e6);
  if (s.hogwild.instrument) {
    text += fmt::format("  staleness mean {:.3f}, max {}\n", staleness_mean, staleness_max);
    text += hogwild_line(facts);
  }
  if (const auto& last = recorder.evaluations().last()) {
    text += fmt::format("  {}: training loss {:.6g}, test loss {:.6g}", s.model_type,
                        last->train_loss, last->test_loss);
    if (last->test_accuracy) text += fmt::format(", test accuracy {:.4f}", *last->test_accuracy);
    text += fmt::format(" after {:.3g} epochs\n", last->epoch);
  }
  if (r.stopped)
    text += fmt::format(
        "  interrupted after {} of {} updates: the run directory holds the run so far\n", r.updates,
        s.stop_updates);
  return {directory, text + "run directory: " + directory.string() + "\n", r.stopped};
}

}  // namespace sgdsim
