#pragma once
// Helpers shared by the tests: temporary folders, running scenarios, reading outputs.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "app/runner.hpp"
#include "app/scenario.hpp"

namespace sgdsim::test {

/// A fresh folder, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sgdsim-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// The whole content of a file.
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Writes `text` to `p`.
inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

/// Loads scenario `yaml` (as if from a file in `dir`) and runs it into `dir/name`, its
/// gradients computed on `threads` threads.
inline std::filesystem::path run_yaml(const TempDir& dir, const std::string& yaml,
                                      const std::string& name = "run",
                                      const std::vector<Override>& overrides = {},
                                      std::uint32_t threads = 1) {
  const Scenario s = load_scenario_text(yaml, (dir / (name + ".yaml")).string(), overrides);
  RunOptions options;
  options.threads = threads;
  return run_scenario(s, dir / name, options).directory;
}

/// summary.json of a run directory.
inline nlohmann::json summary(const std::filesystem::path& run) {
  return nlohmann::json::parse(read_text(run / "summary.json"));
}

/// One column of a CSV file with a header row, as numbers.
inline std::vector<double> csv_column(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file);
  std::string line, cell;
  std::getline(in, line);
  std::size_t index = 0;
  {
    std::stringstream header(line);
    for (std::size_t i = 0; std::getline(header, cell, ','); ++i)
      if (cell == name) index = i + 1;
  }
  if (index == 0) throw std::runtime_error("no column " + name + " in " + file.string());
  std::vector<double> values;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    for (std::size_t i = 0; i < index; ++i) std::getline(row, cell, ',');
    values.push_back(std::stod(cell));
  }
  return values;
}

/// A small learning run for comparing strategies output for output: 4 workers with exponential
/// compute, links of random latency (so pushes arrive out of order), logistic regression, 200
/// updates. Tests add the strategy and the parameter nodes with overrides.
inline const std::string kJitteryLearning =
    "cluster: {workers: 4}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
    "network: {latency: {dist: uniform, min: 10us, max: 90us}, bandwidth: 1Gbit/s}\n"
    "model: {type: logistic}\ndata: {source: classification, features: 8}\n"
    "stop: {updates: 200}\nname: same\n";

/// The harmonic number H_n = 1 + 1/2 + ... + 1/n.
inline double harmonic(int n) {
  double h = 0.0;
  for (int i = 1; i <= n; ++i) h += 1.0 / i;
  return h;
}

/// The outputs of run directory `b` that differ from `a`'s (summary.json but for its wall-clock
/// figures), and those of `a` that are empty: none when the two runs are the same bits.
inline std::vector<std::string> differing_outputs(const std::filesystem::path& a,
                                                  const std::filesystem::path& b) {
  std::vector<std::string> differ;
  for (const char* file : {"updates.csv", "metrics.csv", "scenario.resolved.yaml"}) {
    const std::string text = read_text(a / file);
    if (text.size() < 100 || text != read_text(b / file)) differ.push_back(file);
  }
  auto sa = summary(a), sb = summary(b);
  sa.erase("wall");
  sb.erase("wall");
  if (sa != sb) differ.push_back("summary.json");
  return differ;
}

/// What the `sgdsim` command printed and returned.
struct CliResult {
  int code;
  std::string out, err;
};

/// Runs the `sgdsim` command line in this process with `args` (after the program's name).
inline CliResult run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "sgdsim");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = sgdsim_main(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace sgdsim::test
