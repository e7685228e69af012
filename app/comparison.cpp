#include "app/comparison.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/calibration.hpp"
#include "app/run_directory.hpp"
#include "app/runner.hpp"
#include "app/yaml_paths.hpp"

namespace sgdsim {
namespace {

using Json = nlohmann::json;

Json read_summary(const std::filesystem::path& run) {
  std::ifstream in(run / "summary.json");
  return Json::parse(in);
}

/// The training loss of each row of a run's metrics.csv, by update count.
std::map<std::uint64_t, double> losses_by_update(const std::filesystem::path& run) {
  std::ifstream in(run / "metrics.csv");
  std::string line;
  std::getline(in, line);  // sim_time_s,update,epoch,gradients,train_loss,...
  std::map<std::uint64_t, double> losses;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (cells.size() > 4 && !cells[4].empty()) losses[std::stoull(cells[1])] = std::stod(cells[4]);
  }
  return losses;
}

/// A number of a summary, or NaN when it has none.
double number(const Json& j, const char* pointer) {
  const Json::json_pointer p(pointer);
  return j.contains(p) && j[p].is_number() ? j[p].get<double>() : std::nan("");
}

std::string row(const std::string& what, double real, double simulated, const char* format) {
  const std::string ratio =
      real > 0.0 && simulated >= 0.0 ? fmt::format("{:.3f}", simulated / real) : std::string("-");
  return fmt::format("  {:<38} {:>12} {:>12} {:>10}\n", what,
                     fmt::format(fmt::runtime(format), real),
                     fmt::format(fmt::runtime(format), simulated), ratio);
}

}  // namespace

RunOutcome compare_backends(const std::string& file, const std::vector<Override>& overrides,
                            const std::filesystem::path& directory, std::size_t calibration_updates,
                            const RunOptions& options) {
  const Scenario base = load_scenario(file, overrides);
  if (base.algorithm != "hogwild")
    throw ScenarioError(base.file, position_of(base.resolved, "algorithm.type").mark,
                        "sgdsim compare runs a HOGWILD! scenario (algorithm.type hogwild) on "
                        "both backends");
  RunDirectory dir(directory);
  const std::vector<double> times = measure_task_times(base, calibration_updates);
  const TimingStats t = timing_stats(times);
  const std::filesystem::path staged = std::filesystem::absolute(dir.staged("calibration.txt"));
  write_samples_file(staged, times,
                     fmt::format("sgdsim compare {}: wall seconds of single HOGWILD! updates "
                                 "on one thread of this machine.",
                                 base.file),
                     false);

  // Two real runs: one that counts nothing, for the speed, and one that counts collisions, lost
  // writes and staleness, whose counters cost time of their own.
  std::vector<Override> real_set = overrides, simulated_set = overrides;
  real_set.push_back({"backend=threads"});
  std::vector<Override> counted_set = real_set;
  real_set.push_back({"hogwild.instrument=false"});
  counted_set.push_back({"hogwild.instrument=true"});
  simulated_set.push_back({"backend=simulated"});
  simulated_set.push_back({"compute.time={dist: empirical, file: '" + staged.string() + "'}"});
  for (const char* key : {"compute.reference_batch=1", "compute.worker_factors={}",
                          "hogwild.read_cost=0s", "hogwild.write_cost=0s"})
    simulated_set.push_back({key});
  const Scenario real = load_scenario(file, real_set);
  const Scenario counted = load_scenario(file, counted_set);
  Scenario simulated = load_scenario(file, simulated_set);
  // The simulated run's resolved scenario names the calibration where it will be, not where it
  // was staged, so it runs again as is.
  put(simulated.resolved, "compute.time.file",
      scalar(std::filesystem::absolute(directory / "calibration.txt").string()),
      LoadContext{file, ""});
  // An interrupt stops the run under way, which keeps what it did, and makes no later one.
  bool interrupted = is_interrupted(options);  // During the calibration.
  std::string made;
  const std::pair<const Scenario*, const char*> runs[] = {
      {&real, "threads"}, {&counted, "threads-counted"}, {&simulated, "simulated"}};
  for (const auto& [scenario, folder] : runs) {
    if (interrupted) break;
    interrupted = run_scenario(*scenario, dir.staged(folder), options).interrupted;
    made += fmt::format("{}{}/{}", made.empty() ? "" : ", ", folder,
                        interrupted ? " (interrupted)" : "");
  }
  if (interrupted) {
    const std::string text =
        fmt::format("{}: interrupted, so no comparison; kept calibration.txt{}{}\n", base.name,
                    made.empty() ? "" : " and the runs made: ", made);
    write_staged(dir, "comparison.txt", text);
    dir.commit();
    return {directory, text + "run directory: " + directory.string() + "\n", true};
  }

  const Json r = read_summary(dir.staged("threads")), s = read_summary(dir.staged("simulated"));
  const Json c = read_summary(dir.staged("threads-counted"));
  const auto real_losses = losses_by_update(dir.staged("threads"));
  const auto simulated_losses = losses_by_update(dir.staged("simulated"));
  std::string text = fmt::format(
      "{}: HOGWILD! on {} cores, for real (threads) and simulated with compute times measured "
      "here\n(one update on one thread: mean {:.3g} us, median {:.3g} us, p90 {:.3g} us)\n\n",
      base.name, base.workers, t.mean * 1e6, t.p50 * 1e6, t.p90 * 1e6);
  text += fmt::format("  {:<38} {:>12} {:>12} {:>10}\n", "", "threads", "simulated", "sim/real");
  const double real_rate = number(r, "/updates_per_s"),
               simulated_rate = number(s, "/updates_per_s");
  text += row("updates per second", real_rate, simulated_rate, "{:.4g}");
  text += row("wall time per update, median (us)", 1e6 * number(r, "/wall/update_time_s/p50"),
              1e6 * t.p50, "{:.3g}");
  // Up to four update counts that both evaluated: a quarter, half, three quarters, the end.
  std::vector<std::uint64_t> common;
  for (const auto& [u, loss] : real_losses)
    if (u > 0 && simulated_losses.contains(u)) common.push_back(u);
  for (int k = 1; k <= 4 && !common.empty(); ++k) {
    const std::uint64_t u = common[(common.size() * k + 3) / 4 - 1];
    if (k > 1 && u == common[(common.size() * (k - 1) + 3) / 4 - 1]) continue;
    text += row(fmt::format("training loss at update {}", u), real_losses.at(u),
                simulated_losses.at(u), "{:.5g}");
  }
  text += row("collided coordinate writes (%) *", 100 * number(c, "/hogwild/collision_fraction"),
              100 * number(s, "/hogwild/collision_fraction"), "{:.3g}");
  text += row("lost coordinate writes (%) *", 100 * number(c, "/hogwild/lost_fraction"),
              100 * number(s, "/hogwild/lost_fraction"), "{:.3g}");
  text += row("mean staleness (updates) *", number(c, "/staleness/mean"),
              number(s, "/staleness/mean"), "{:.3g}");
  const double error = simulated_rate / real_rate - 1.0;
  text += fmt::format(
      "  * counted by a second real run (threads-counted/), whose counters slow it down\n\n"
      "The simulator {} the real throughput by {:.0f}%. It runs each core at the speed one "
      "thread has alone\n(the calibrated median); real threads also wait for the cache lines of "
      "shared coordinates\nand for memory, and share the machine's cores with everything else "
      "running on it:\ncompare the medians of the wall time per update above.\n",
      error >= 0 ? "overestimates" : "underestimates", std::abs(error) * 100);
  write_staged(dir, "comparison.txt", text);
  dir.commit();
  return {directory, text + "run directory: " + directory.string() + "\n", false};
}

}  // namespace sgdsim
