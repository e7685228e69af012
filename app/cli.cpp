#include "app/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/learning_problem.hpp"
#include "app/run_directory.hpp"
#include "app/runner.hpp"
#include "app/scenario.hpp"
#include "app/scenario_keys.hpp"
#include "models/libsvm.hpp"

namespace sgdsim {
namespace {

/// The options shared by `run` and `validate`.
struct ScenarioArgs {
  std::string file;
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;

  void add_to(CLI::App& cmd) {
    cmd.add_option("scenario", file, "The scenario file (YAML)")->required();
    cmd.add_option("--seed", seed, "Seed of the run, replacing the scenario's `seed`");
    // One value per --set, so `--set a=1 scenario.yaml` does not swallow the scenario.
    cmd.add_option("--set", sets,
                   "Override a key, as KEY.PATH=VALUE (repeat for more), e.g. --set "
                   "cluster.workers=16")
        ->allow_extra_args(false);
  }

  Scenario load() const {
    std::vector<Override> overrides;
    for (const std::string& s : sets) overrides.push_back({s});
    if (seed) overrides.push_back({"seed=" + std::to_string(*seed)});
    return load_scenario(file, overrides);
  }
};

}  // namespace

int sgdsim_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "sgdsim: a discrete-event simulator of distributed and asynchronous SGD.\n"
      "Exit codes: 0 success, 64 bad usage, 65 bad scenario, 66 missing file, "
      "70 internal error, 73 cannot create the run directory, 74 write error."};
  app.name("sgdsim");
  app.require_subcommand(1);

  ScenarioArgs run_args;
  std::string out_dir;
  bool quiet = false;
  CLI::App* run = app.add_subcommand(
      "run",
      "Simulate a scenario and write a run directory (default runs/NAME-seedSEED, "
      "never replacing an existing one); print a short summary and its path.");
  run_args.add_to(*run);
  run->add_option("--out", out_dir, "The run directory to create; it must not exist");
  run->add_flag("--quiet", quiet, "No progress line and no summary, only the directory's path");

  ScenarioArgs validate_args;
  CLI::App* validate =
      app.add_subcommand("validate", "Check a scenario (every key, value and link) and exit");
  validate_args.add_to(*validate);

  CLI::App* keys = app.add_subcommand(
      "keys",
      "Print the reference of every scenario key in Markdown (the text of docs/scenario.md)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? exit_code::kOk : exit_code::kUsage;
  }

  try {
    if (*keys) {
      out << scenario_keys_markdown();
      return exit_code::kOk;
    }
    if (*validate) {
      const Scenario s = validate_args.load();
      if (s.learns()) build_learning_problem(s);  // Reads the data, so a bad file shows now.
      out << s.file << ": ok (" << s.name << ", " << s.workers << " workers)\n";
      return exit_code::kOk;
    }
    const Scenario s = run_args.load();
    const std::filesystem::path target =
        out_dir.empty() ? fresh_run_path("runs", s.name, s.seed) : std::filesystem::path(out_dir);
    RunOptions options;
    const bool terminal = ::isatty(STDERR_FILENO) && &err == &std::cerr;
    if (!quiet && terminal)
      options.progress = [&err](const std::string& line) {
        err << "\r" << line << "\033[K" << std::flush;
      };
    const RunOutcome outcome = run_scenario(s, target, options);
    if (options.progress) err << "\r\033[K" << std::flush;
    out << (quiet ? outcome.directory.string() + "\n" : outcome.human_summary);
    return exit_code::kOk;
  } catch (const ScenarioError& e) {
    err << e.what() << "\n";
    return e.exit_code();
  } catch (const DataError& e) {
    err << e.what() << "\n";
    return exit_code::kBadScenario;
  } catch (const FileNotFound& e) {
    err << e.what() << "\n";
    return exit_code::kNoInput;
  } catch (const RunDirectoryError& e) {
    err << "sgdsim: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    err << "sgdsim: internal error: " << e.what() << "\n";
    return exit_code::kInternal;
  }
}

}  // namespace sgdsim
