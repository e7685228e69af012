// Real signals sent to a real `sgdsim` process: the first SIGINT or SIGTERM stops a long run and
// keeps it (exit 130 or 143, stop_reason "interrupted"), a second aborts it and leaves nothing,
// on the simulator, on real threads, in a sweep, in compare and in calibrate.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// A fresh folder, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sgdsim-signal-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t lines_of(const fs::path& p) {
  const std::string text = read_text(p);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

nlohmann::json json_of(const fs::path& p) {
  return nlohmann::json::parse(read_text(p));
}

/// The staging folders and partial files (".NAME.partial-PID", "FILE.partial-PID") under `dir`.
std::vector<std::string> partials_under(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.path().filename().string().find(".partial-") != std::string::npos)
      found.push_back(entry.path().string());
  return found;
}

/// `build/sgdsim` with `args`, its output going to files in `dir`.
class Sgdsim {
 public:
  Sgdsim(const TempDir& dir, std::vector<std::string> args) : err_(dir / "stderr.txt") {
    args.insert(args.begin(), SGDSIM_BINARY);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    const std::string out = (dir / "stdout.txt").string(), err = err_.string();
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&files, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error = posix_spawn(&pid_, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    REQUIRE(error == 0);
  }
  /// Kills the process if a failed check left it running.
  ~Sgdsim() {
    if (running_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Sgdsim(const Sgdsim&) = delete;
  Sgdsim& operator=(const Sgdsim&) = delete;

  /// Waits until `done` holds (checked every millisecond), at most 20 s.
  template <class Done>
  void wait_until(Done done) const {
    const auto start = Clock::now();
    while (!done()) {
      REQUIRE(Clock::now() - start < 20s);
      std::this_thread::sleep_for(1ms);
    }
  }

  /// The staging folder of this process's run directory `parent`/`name`.
  fs::path staging(const fs::path& parent, const std::string& name) const {
    return parent / ("." + name + ".partial-" + std::to_string(pid_));
  }

  /// Waits until the staging folder of run directory `parent`/`name` is there, then a little
  /// more, so that the run has done something.
  void wait_for_staging(const fs::path& parent, const std::string& name) const {
    wait_until([&] { return fs::exists(staging(parent, name)); });
    std::this_thread::sleep_for(300ms);
  }

  /// Waits until standard error holds `text`.
  void wait_for_message(const std::string& text) const {
    wait_until([&] { return read_text(err_).find(text) != std::string::npos; });
  }

  void send(int sig) const { REQUIRE(::kill(pid_, sig) == 0); }

  /// Waits for the process to end, at most 20 s; its exit code (or -1 when a signal ended it).
  int exit_code() {
    int status = 0;
    wait_until([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; });
    running_ = false;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string error_text() const { return read_text(err_); }

 private:
  fs::path err_;
  pid_t pid_ = 0;
  bool running_ = true;
};

/// Asynchronous SGD on 64 workers until a simulated time no test waits for.
const std::string kLongAsync =
    "name: long\ncluster: {workers: 64}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
    "algorithm: {type: async}\nstop: {time: 1000000s}\n"
    "output: {trace_max_events: 5000, updates_max_rows: 20000}\n";

/// A run whose every evaluation of its MLP takes a good part of a second, so that a second
/// interrupt comes while the first is still being answered (the last evaluation).
const std::string kSlowToStop =
    "name: slow\ncluster: {workers: 4}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
    "algorithm: {type: async}\nmodel: {type: mlp, hidden: [600, 600]}\n"
    "data: {source: classification, samples: 2000, features: 50}\nstop: {time: 1000000s}\n";

/// HOGWILD! on two real threads, for more updates than any test waits for.
const std::string kLongThreads =
    "name: threads\nbackend: threads\ncluster: {workers: 2}\n"
    "compute: {time: {dist: constant, value: 1us}}\n"
    "algorithm: {type: hogwild, step_size: 0.05}\nmodel: {type: svm, l2: 0.0001}\n"
    "data: {source: sparse, samples: 2000, features: 400, nonzeros: 8}\n"
    "stop: {updates: 100000000000}\n";

fs::path write_scenario(const TempDir& dir, const std::string& yaml) {
  const fs::path file = dir / "scenario.yaml";
  std::ofstream(file) << yaml;
  return file;
}

/// Checks that `run` is a whole run directory marked interrupted.
void check_interrupted_run(const fs::path& run) {
  REQUIRE(fs::is_directory(run));
  const nlohmann::json summary = json_of(run / "summary.json");
  CHECK(summary["stop_reason"] == "interrupted");
  CHECK(summary["updates"].get<std::uint64_t>() > 0);
  CHECK(lines_of(run / "metrics.csv") > 1);
  CHECK(fs::exists(run / "scenario.resolved.yaml"));
}

/// Runs `sgdsim run` on scenario `yaml` into dir/run, sends `signal` once the run's staging
/// folder exists, and checks that it exits with `code` within two seconds, its run directory
/// whole and marked interrupted, and no staging folder left.
void check_signal_keeps_run(const TempDir& dir, const std::string& yaml, int signal, int code) {
  const fs::path scenario = write_scenario(dir, yaml);
  Sgdsim sgdsim(dir, {"run", scenario.string(), "--out", (dir / "run").string()});
  sgdsim.wait_for_staging(dir.path(), "run");
  const auto sent = Clock::now();
  sgdsim.send(signal);
  CHECK(sgdsim.exit_code() == code);
  CHECK(Clock::now() - sent < 2s);
  check_interrupted_run(dir / "run");
  CHECK(partials_under(dir.path()).empty());
}

}  // namespace

TEST_CASE("the first SIGINT stops a long run at once and keeps it, marked interrupted") {
  const TempDir dir;
  check_signal_keeps_run(dir, kLongAsync, SIGINT, 130);
  CHECK(lines_of(dir / "run" / "updates.csv") == 20001);  // Header, then rows up to the cap.
  const nlohmann::json trace = json_of(dir / "run" / "trace.json");  // Finished: it parses.
  CHECK(trace["otherData"]["events_written"] == 5000);
  CHECK(read_text(dir / "stdout.txt").find("interrupted at") != std::string::npos);
}

TEST_CASE("SIGTERM stops a long run the same way and exits 143") {
  const TempDir dir;
  check_signal_keeps_run(dir, kLongAsync, SIGTERM, 143);
}

TEST_CASE("a second SIGINT aborts at once and leaves no run directory or staging folder") {
  const TempDir dir;
  const fs::path scenario = write_scenario(dir, kSlowToStop);
  Sgdsim sgdsim(dir, {"run", scenario.string(), "--out", (dir / "run").string()});
  sgdsim.wait_for_staging(dir.path(), "run");
  sgdsim.send(SIGINT);
  sgdsim.wait_for_message("stopping at the next check");
  sgdsim.send(SIGINT);
  CHECK(sgdsim.exit_code() == 130);
  CHECK(sgdsim.error_text().find("aborted, nothing kept") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "run"));
  CHECK(partials_under(dir.path()).empty());
}

TEST_CASE("SIGINT stops the threads of a real HOGWILD! run and keeps what they measured") {
  const TempDir dir;
  check_signal_keeps_run(dir, kLongThreads, SIGINT, 130);
  CHECK(json_of(dir / "run" / "summary.json")["updates"].get<std::uint64_t>() < 100000000000);
}

TEST_CASE("SIGINT stops a sweep in its setting under way and writes the sweep, interrupted") {
  const TempDir dir;
  const fs::path scenario =
      write_scenario(dir, kLongAsync +
                              "sweep: {key: algorithm.step_size, values: [0.1, 0.2], pick: "
                              "updates_per_s}\n");
  Sgdsim sgdsim(dir, {"run", scenario.string(), "--out", (dir / "sweep").string()});
  sgdsim.wait_for_staging(dir.path(), "sweep");
  sgdsim.send(SIGINT);
  CHECK(sgdsim.exit_code() == 130);
  const nlohmann::json summary = json_of(dir / "sweep" / "summary.json");
  CHECK(summary["stop_reason"] == "interrupted");
  CHECK(summary["settings_run"] == 1);
  check_interrupted_run(dir / "sweep" / "settings" / "1-step_size=0.1");
  CHECK_FALSE(fs::exists(dir / "sweep" / "settings" / "2-step_size=0.2"));
  CHECK(lines_of(dir / "sweep" / "sweep.csv") == 2);
  CHECK(partials_under(dir.path()).empty());
}

TEST_CASE("SIGINT during compare keeps the calibration and the run under way, interrupted") {
  const TempDir dir;
  const fs::path scenario = write_scenario(dir, kLongThreads);
  Sgdsim sgdsim(dir, {"compare", scenario.string(), "--out", (dir / "compare").string(),
                      "--calibration-tasks", "2000"});
  sgdsim.wait_for_staging(sgdsim.staging(dir.path(), "compare"), "threads");
  sgdsim.send(SIGINT);
  CHECK(sgdsim.exit_code() == 130);
  CHECK(read_text(dir / "compare" / "comparison.txt").find("interrupted") != std::string::npos);
  CHECK(fs::exists(dir / "compare" / "calibration.txt"));
  check_interrupted_run(dir / "compare" / "threads");
  CHECK_FALSE(fs::exists(dir / "compare" / "simulated"));
  CHECK(partials_under(dir.path()).empty());
}

TEST_CASE("SIGINT during calibrate writes no samples file, not even part of one") {
  const TempDir dir;
  const fs::path scenario = write_scenario(dir, kLongThreads);
  const fs::path samples = dir / "samples.txt";
  Sgdsim sgdsim(
      dir, {"calibrate", scenario.string(), "--out", samples.string(), "--tasks", "100000000"});
  std::this_thread::sleep_for(500ms);
  sgdsim.send(SIGINT);
  CHECK(sgdsim.exit_code() == 130);
  CHECK_FALSE(fs::exists(samples));
  CHECK(partials_under(dir.path()).empty());
}
