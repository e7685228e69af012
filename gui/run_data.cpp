#include "gui/run_data.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "gui/run_facts.hpp"

namespace sgdsim {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw RunDataError(path.string() + ": cannot be read");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw RunDataError(path.string() + ": " + e.what());
  }
}

std::vector<MetricsRow> read_metrics(const fs::path& path) {
  const CsvTable csv(path);
  const std::size_t time = csv.column("sim_time_s"), update = csv.column("update"),
                    epoch = csv.column("epoch"), train = csv.column("train_loss"),
                    test = csv.column("test_loss"), accuracy = csv.column("test_accuracy");
  std::vector<MetricsRow> rows;
  for (std::size_t r = 0; r < csv.rows(); ++r)
    rows.push_back({csv.required_number(r, time), csv.required_number(r, update),
                    csv.number(r, epoch).value_or(0.0),  // Empty in timing-only runs.
                    csv.number(r, train), csv.number(r, test), csv.number(r, accuracy)});
  return rows;
}

std::vector<RoundRow> read_rounds(const fs::path& path) {
  const CsvTable csv(path);
  const std::size_t end = csv.column("end_s"), duration = csv.column("duration_s");
  std::vector<RoundRow> rows;
  for (std::size_t r = 0; r < csv.rows(); ++r)
    rows.push_back({csv.required_number(r, end), csv.required_number(r, duration)});
  return rows;
}

/// The figures of summary.json the charts draw.
void read_summary(const fs::path& path, RunData& run) {
  const nlohmann::json j = read_json(path);
  try {
    run.duration_s = j.at("sim_time_s").get<double>();
    run.wall_time = j.value("time_base", "") == "wall";
    run.algorithm = j.value("algorithm", "");
    run.workers = j.value("workers", 0U);
    if (j.contains("staleness"))
      run.staleness_histogram = j["staleness"].at("histogram").get<std::vector<double>>();
    if (j.contains("blocked_s"))
      run.blocked_s = j["blocked_s"].at("per_worker").get<std::vector<double>>();
    if (j.contains("network"))
      for (const nlohmann::json& link : j["network"].at("links")) {
        const auto& ends = link.at("between");
        run.links.push_back(
            {ends.at(0).get<std::string>() + "\u2013" + ends.at(1).get<std::string>(),
             link.at("bytes").get<double>()});
      }
    run.facts = summary_facts(j);
  } catch (const nlohmann::json::exception& e) {
    throw RunDataError(path.string() + ": " + e.what());
  }
}

/// compute.time's distribution family in scenario.resolved.yaml: "constant" for a plain duration.
std::string read_compute_law(const fs::path& path) {
  try {
    const YAML::Node time = YAML::LoadFile(path.string())["compute"]["time"];
    if (time.IsScalar()) return "constant";
    if (time.IsMap() && time["dist"]) return time["dist"].as<std::string>();
    return "";
  } catch (const YAML::Exception& e) {
    throw RunDataError(path.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                       std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

/// The last name of `directory`, even when written with a trailing slash or as ".".
std::string folder_name(const fs::path& directory) {
  fs::path p = fs::absolute(directory).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return p.filename().string();
}

}  // namespace

bool RunData::learns() const {
  for (const MetricsRow& row : metrics)
    if (row.train_loss) return true;
  return false;
}

RunData load_run(const fs::path& directory) {
  if (!fs::is_directory(directory))
    throw RunDataError(directory.string() + ": not a run directory (no such folder)");
  RunData run;
  run.directory = fs::absolute(directory).lexically_normal();
  run.name = folder_name(directory);
  run.metrics = read_metrics(directory / "metrics.csv");
  read_summary(directory / "summary.json", run);
  if (fs::exists(directory / "rounds.csv")) run.rounds = read_rounds(directory / "rounds.csv");
  if (fs::exists(directory / "scenario.resolved.yaml"))
    run.compute_law = read_compute_law(directory / "scenario.resolved.yaml");
  if (fs::exists(run.trace_file())) run.activity = read_trace_activity(run.trace_file());
  return run;
}

std::vector<RunData> load_runs(const fs::path& directory) {
  if (fs::exists(directory / "metrics.csv") || !fs::exists(directory / "sweep.csv"))
    return {load_run(directory)};
  const nlohmann::json summary = read_json(directory / "summary.json");
  std::vector<RunData> runs;
  try {
    for (const nlohmann::json& setting : summary.at("sweep").at("settings")) {
      RunData run = load_run(directory / setting.at("directory").get<std::string>());
      runs.push_back(std::move(run));
    }
  } catch (const nlohmann::json::exception& e) {
    throw RunDataError((directory / "summary.json").string() + ": " + e.what());
  }
  return runs;
}

}  // namespace sgdsim
