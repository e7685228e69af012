#include "app/sweep_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/run_directory.hpp"

namespace sgdsim {
namespace {

using Json = nlohmann::ordered_json;

/// What a finished setting reports, read back from its summary.json.
struct SettingResult {
  std::string label;  ///< The swept key's value, as in the setting's folder name.
  Json summary;
  std::optional<double> score;  ///< By the sweep's pick; empty when it has none (or diverged).
};

/// The setting's score by `pick`, oriented so that lower is better.
std::optional<double> score(const Json& j, SweepSpec::Pick pick) {
  using Pick = SweepSpec::Pick;
  const auto number = [](const Json& v) -> std::optional<double> {
    if (!v.is_number() || !std::isfinite(v.get<double>())) return std::nullopt;
    return v.get<double>();
  };
  const Json& learning = j.contains("learning") ? j["learning"] : Json::object();
  const Json& final = learning.contains("final") ? learning["final"] : Json::object();
  std::optional<double> v;
  switch (pick) {
    case Pick::kTrainLoss:
      return final.contains("train_loss") ? number(final["train_loss"]) : std::nullopt;
    case Pick::kTestLoss:
      return final.contains("test_loss") ? number(final["test_loss"]) : std::nullopt;
    case Pick::kTestAccuracy:
      v = final.contains("test_accuracy") ? number(final["test_accuracy"]) : std::nullopt;
      return v ? std::optional(-*v) : std::nullopt;
    case Pick::kTimeToTarget:
      return learning.contains("time_to_target_s") ? number(learning["time_to_target_s"])
                                                   : std::nullopt;
    case Pick::kUpdatesPerSecond:
      v = number(j["updates_per_s"]);
      return v ? std::optional(-*v) : std::nullopt;
  }
  return std::nullopt;
}

const char* pick_name(SweepSpec::Pick pick) {
  static const char* names[] = {"train_loss", "test_loss", "test_accuracy", "time_to_target",
                                "updates_per_s"};
  return names[static_cast<int>(pick)];
}

/// A CSV cell: the number at `path` in a summary, or empty.
std::string cell(const Json& j, const Json::json_pointer& path) {
  if (!j.contains(path) || !j[path].is_number()) return "";
  return fmt::format("{}", j[path].get<double>());
}

}  // namespace

RunOutcome run_sweep(const Scenario& s, const std::filesystem::path& directory,
                     const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunDirectory dir(directory);
  write_staged(dir, "scenario.resolved.yaml", emit_yaml(s.resolved));
  std::filesystem::create_directory(dir.staged("settings"));
  // The settings run on disjoint parts of the cluster (their own workers and parameter nodes),
  // so simulating them one after the other is exactly simulating them at the same time.
  std::vector<SettingResult> results;
  bool interrupted = false;
  for (std::size_t i = 0; i < s.settings.size() && !interrupted; ++i) {
    const Scenario& setting = s.settings[i];
    SettingResult r;
    r.label = setting.name.substr(s.name.size() + 1);
    const auto folder = dir.staged("settings") / fmt::format("{}-{}", i + 1, r.label);
    // A setting's progress is its share of the sweep's.
    RunOptions setting_options = options;
    // The sweep's first report comes once the sweep (not each setting) has lasted first_progress.
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - wall_start);
    setting_options.first_progress =
        std::max(std::chrono::milliseconds(0), options.first_progress - elapsed);
    if (options.progress)
      setting_options.progress = [&options, i, n = s.settings.size()](const RunProgress& p) {
        options.progress({fmt::format("setting {} of {}: {}", i + 1, n, p.line),
                          (double(i) + p.fraction) / double(n)});
      };
    // An interrupt stops this setting, which keeps what it did, and runs no later one.
    interrupted = run_scenario(setting, folder, setting_options).interrupted;
    std::ifstream in(folder / "summary.json");
    r.summary = Json::parse(in);
    // A setting cut short is not compared with whole ones.
    if (!interrupted) r.score = score(r.summary, s.sweep.pick);
    results.push_back(std::move(r));
  }
  // The best is the lowest score; ties go to the earlier setting.
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i].score && (!best || *results[i].score < *results[*best].score)) best = i;

  std::string csv =
      "setting,value,workers,updates,sim_time_s,updates_per_s,train_loss,test_loss,"
      "test_accuracy,time_to_target_s,best\n";
  Json settings = Json::array();
  double sim_time = 0.0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& j = results[i].summary;
    const std::string value = results[i].label.substr(results[i].label.find('=') + 1);
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", i + 1, value, j["workers"].dump(),
                       j["updates"].dump(), cell(j, "/sim_time_s"_json_pointer),
                       cell(j, "/updates_per_s"_json_pointer),
                       cell(j, "/learning/final/train_loss"_json_pointer),
                       cell(j, "/learning/final/test_loss"_json_pointer),
                       cell(j, "/learning/final/test_accuracy"_json_pointer),
                       cell(j, "/learning/time_to_target_s"_json_pointer), best == i ? 1 : 0);
    settings.push_back({{"setting", i + 1},
                        {"value", value},
                        {"directory", fmt::format("settings/{}-{}", i + 1, results[i].label)},
                        {"summary", j}});
    sim_time = std::max(sim_time, j["sim_time_s"].get<double>());
  }
  write_staged(dir, "sweep.csv", csv);
  Json summary;
  summary["scenario"] = s.name;
  summary["seed"] = s.seed;
  summary["sweep"] = {{"key", s.sweep.key},
                      {"pick", pick_name(s.sweep.pick)},
                      {"share_workers", s.sweep.share_workers},
                      {"best", best ? Json(*best + 1) : Json(nullptr)},
                      {"settings", settings}};
  summary["sim_time_s"] = sim_time;  // The settings ran side by side: the longest one.
  if (interrupted) {
    // Only then, so that the summary of a whole sweep stays as it was.
    summary["stop_reason"] = "interrupted";
    summary["settings_run"] = results.size();
  }
  summary["wall"] = {
      {"seconds",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count()}};
  write_staged(dir, "summary.json", summary.dump(2) + "\n");
  dir.commit();

  std::string text = fmt::format("{}: {} settings of {}, side by side (best by {})\n", s.name,
                                 results.size(), s.sweep.key, pick_name(s.sweep.pick));
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& j = results[i].summary;
    text += fmt::format("  {} {:<28} {} workers, {} updates", best == i ? "*" : " ",
                        results[i].label, j["workers"].dump(), j["updates"].dump());
    if (j.contains("/learning/final"_json_pointer))
      text += fmt::format(", training loss {:.6g}, test loss {:.6g}",
                          j["learning"]["final"]["train_loss"].get<double>(),
                          j["learning"]["final"]["test_loss"].get<double>());
    else
      text += fmt::format(", {:.6g} updates/s", j["updates_per_s"].get<double>());
    text += "\n";
  }
  text += best ? fmt::format("  best: setting {} ({})\n", *best + 1, results[*best].label)
               : std::string("  no setting has a finite score\n");
  if (interrupted)
    text += fmt::format(
        "  interrupted in setting {} of {}: it keeps what it did (not compared), later ones did "
        "not run\n",
        results.size(), s.settings.size());
  return {directory, text + "run directory: " + directory.string() + "\n", interrupted};
}

}  // namespace sgdsim
