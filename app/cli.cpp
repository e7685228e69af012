#include "app/cli.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "app/calibration.hpp"
#include "app/comparison.hpp"
#include "app/interrupts.hpp"
#include "app/learning_problem.hpp"
#include "app/run_directory.hpp"
#include "app/runner.hpp"
#include "app/scenario.hpp"
#include "app/scenario_keys.hpp"
#include "models/libsvm.hpp"
#include "sim/learning/parallel_tasks.hpp"

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

  /// The --set options and --seed, as overrides.
  std::vector<Override> overrides() const {
    std::vector<Override> result;
    for (const std::string& s : sets) result.push_back({s});
    if (seed) result.push_back({"seed=" + std::to_string(*seed)});
    return result;
  }

  Scenario load() const { return load_scenario(file, overrides()); }
};

/// `sgdsim plot ARGS...` becomes `sgdsim-gui --plot ARGS...`, the Qt program built next to this
/// one (the core has no Qt). Returns only when that cannot be: 69 when sgdsim-gui is not there.
int exec_plot(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::error_code error;
  const std::filesystem::path gui =
      std::filesystem::read_symlink("/proc/self/exe", error).parent_path() / "sgdsim-gui";
  if (error || !std::filesystem::exists(gui)) {
    err << "sgdsim: plot needs sgdsim-gui next to sgdsim (" << gui.string()
        << "), which is not there: build with Qt 6 and -DSGDSIM_GUI=ON\n";
    return exit_code::kUnavailable;
  }
  std::vector<std::string> words = {gui.string(), "--plot"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  out.flush();
  err.flush();
  unblock_interrupts();
  ::execv(gui.c_str(), argv.data());
  err << "sgdsim: cannot run " << gui.string() << ": " << std::strerror(errno) << "\n";
  return exit_code::kUnavailable;
}

/// Options whose interrupt hook is the first SIGINT or SIGTERM (see app/interrupts.hpp).
RunOptions interruptible() {
  RunOptions options;
  options.interrupted = [] { return interrupt_signal() != 0; };
  return options;
}

/// The exit code of a command: 0, or 128 + the signal when an interrupt stopped it (130 for
/// SIGINT, 143 for SIGTERM), as a shell reports a process the signal ended.
int exit_code_of(const RunOutcome& outcome) {
  return outcome.interrupted ? 128 + interrupt_signal() : exit_code::kOk;
}

}  // namespace

int sgdsim_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "sgdsim: a discrete-event simulator of distributed and asynchronous SGD.\n"
      "Exit codes: 0 success, 64 bad usage, 65 bad scenario, 66 missing file, "
      "69 sgdsim-gui missing (plot), 70 internal error, 73 cannot create the run directory, 74 "
      "write error, 130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM."};
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
  auto threads = static_cast<std::uint32_t>(machine_threads());
  run->add_option("--threads", threads,
                  "Threads computing gradients; every output is the same whatever the number")
      ->default_val(threads)
      ->check(CLI::Range(1u, 1024u));

  ScenarioArgs validate_args;
  CLI::App* validate =
      app.add_subcommand("validate", "Check a scenario (every key, value and link) and exit");
  validate_args.add_to(*validate);

  ScenarioArgs calibrate_args;
  std::string calibration_file;
  std::size_t calibration_tasks = 20000;
  bool replace = false;
  CLI::App* calibrate_cmd = app.add_subcommand(
      "calibrate",
      "Measure this machine's time per task of a scenario (a HOGWILD! update, or one batch "
      "gradient) and write the times as a samples file for `compute: {time: {dist: empirical, "
      "file: ...}}`");
  calibrate_args.add_to(*calibrate_cmd);
  calibrate_cmd->add_option("--out", calibration_file,
                            "The samples file to write (default NAME.timings.txt beside the "
                            "scenario); it must not exist");
  calibrate_cmd->add_option("--tasks", calibration_tasks, "Tasks to time")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  calibrate_cmd->add_flag("--force", replace, "Replace the samples file if it exists");

  ScenarioArgs compare_args;
  std::string compare_dir;
  std::size_t compare_tasks = 20000;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare",
      "Run a HOGWILD! scenario for real on threads and in the simulator with compute times "
      "calibrated here; print the two side by side and keep both run directories (default "
      "runs/NAME-compare-seedSEED)");
  compare_args.add_to(*compare_cmd);
  compare_cmd->add_option("--out", compare_dir, "The directory to create; it must not exist");
  compare_cmd
      ->add_option("--calibration-tasks", compare_tasks, "Updates to time for the calibration")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));

  CLI::App* keys = app.add_subcommand(
      "keys",
      "Print the reference of every scenario key in Markdown (the text of docs/scenario.md)");

  CLI::App* plot = app.add_subcommand(
      "plot",
      "Draw a chart of run directories without a display: plot RUN_DIR... --out FILE.png|.svg "
      "[--chart loss|staleness|waiting|rounds|network|timeline] [--size WIDTHxHEIGHT]. Runs "
      "sgdsim-gui --plot (built with Qt 6 next to sgdsim) with the same arguments");
  plot->prefix_command();  // Every argument goes to sgdsim-gui as it is.

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? exit_code::kOk : exit_code::kUsage;
  }

  if (*plot) return exec_plot(plot->remaining(), out, err);
  try {
    if (*keys) {
      out << scenario_keys_markdown();
      return exit_code::kOk;
    }
    if (*calibrate_cmd) {
      out << calibrate(calibrate_args.load(), calibration_file, calibration_tasks, replace);
      return exit_code::kOk;
    }
    if (*compare_cmd) {
      const Scenario s = compare_args.load();
      const std::filesystem::path target = compare_dir.empty()
                                               ? fresh_run_path("runs", s.name + "-compare", s.seed)
                                               : std::filesystem::path(compare_dir);
      const GracefulInterrupts graceful;
      const RunOutcome outcome = compare_backends(compare_args.file, compare_args.overrides(),
                                                  target, compare_tasks, interruptible());
      out << outcome.human_summary;
      return exit_code_of(outcome);
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
    // From here on the first interrupt stops the run and keeps it; before, it aborts.
    const GracefulInterrupts graceful;
    RunOptions options = interruptible();
    options.threads = threads;
    const bool terminal = ::isatty(STDERR_FILENO) && &err == &std::cerr;
    if (!quiet && terminal)
      options.progress = [&err](const RunProgress& p) {
        err << fmt::format("\r[{:3.0f}%] {}\033[K", 100.0 * p.fraction, p.line) << std::flush;
      };
    const RunOutcome outcome = run_scenario(s, target, options);
    if (options.progress) err << "\r\033[K" << std::flush;
    out << (quiet ? outcome.directory.string() + "\n" : outcome.human_summary);
    return exit_code_of(outcome);
  } catch (const ScenarioError& e) {
    err << e.what() << "\n";
    return e.exit_code();
  } catch (const DataError& e) {
    err << e.what() << "\n";
    return exit_code::kBadScenario;
  } catch (const TorchScriptError& e) {
    // Loading refuses what does not fit at its key; this is a module failing in the run.
    err << "sgdsim: the TorchScript model " << e.what() << "\n";
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
