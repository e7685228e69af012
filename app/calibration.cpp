#include "app/calibration.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <numeric>

#include "app/hogwild_problem.hpp"
#include "app/interrupts.hpp"
#include "app/learning_problem.hpp"
#include "app/run_directory.hpp"
#include "hogwild/update_times.hpp"
#include "sim/engine/random.hpp"

namespace sgdsim {
namespace {

/// Wall seconds of `count` batch gradients of worker 0's batches on the initial model.
std::vector<double> batch_gradient_times(const Scenario& s, std::size_t count) {
  const LearningProblem p = build_learning_problem(s);
  const std::vector<std::size_t>& part = p.setup.partitions.front();
  RandomStream rng(s.seed, 0, "samples");
  std::vector<std::size_t> rows(s.batch_size);
  Vector g(p.setup.initial.size());
  std::vector<double> times(count);
  for (double& t : times) {
    for (std::size_t& r : rows) r = part[rng.uniform_below(part.size())];
    const auto start = std::chrono::steady_clock::now();
    p.objective->batch_gradient(*p.train, rows, p.setup.initial, g);
    t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return times;
}

}  // namespace

TimingStats timing_stats(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  const auto at = [&times](double q) {
    return times[std::min(times.size() - 1, static_cast<std::size_t>(q * times.size()))];
  };
  return {std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(times.size()),
          at(0.5), at(0.9), at(0.99)};
}

std::vector<double> measure_task_times(const Scenario& s, std::size_t count) {
  const std::size_t warm_up = std::min<std::size_t>(1000, count / 10);
  std::vector<double> times;
  if (s.algorithm == "hogwild") {
    const HogwildProblem p = build_hogwild_problem(s);
    times = measure_update_times(*p.train, p.initial, warm_up + count, s.seed);
  } else {
    times = batch_gradient_times(s, warm_up + count);
  }
  times.erase(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(warm_up));
  return times;
}

void write_samples_file(const std::filesystem::path& file, const std::vector<double>& times,
                        const std::string& comment, bool replace) {
  namespace fs = std::filesystem;
  if (!replace && fs::exists(file))
    throw RunDirectoryError(
        "'" + file.string() + "' already exists; choose another --out or add --force", 73);
  // The process id keeps two calibrations aimed at the same file apart.
  const fs::path partial = file.string() + ".partial-" + std::to_string(::getpid());
  std::ofstream out;
  // Registered as it is made, so that an interrupt aborting the process removes it too.
  add_abort_path(partial, [&out, &partial] { out.open(partial); });
  // Removes the partial file on every way out but success, exceptions included.
  struct Cleanup {
    const fs::path& partial;
    bool published = false;
    ~Cleanup() {
      std::error_code ec;
      if (!published) fs::remove(partial, ec);
      remove_abort_path(partial);
    }
  } cleanup{partial};
  for (std::size_t start = 0; start < comment.size();) {
    const std::size_t end = std::min(comment.find('\n', start), comment.size());
    out << "# " << comment.substr(start, end - start) << "\n";
    start = end + 1;
  }
  for (const double t : times) out << fmt::format("{:.9g}\n", t);
  out.close();
  if (!out) throw RunDirectoryError("cannot write '" + partial.string() + "'", 74);
  std::error_code ec;
  fs::rename(partial, file, ec);
  if (ec) throw RunDirectoryError("cannot write '" + file.string() + "': " + ec.message(), 74);
  cleanup.published = true;
}

std::string calibrate(const Scenario& s, std::filesystem::path file, std::size_t count,
                      bool replace) {
  const bool hogwild = s.algorithm == "hogwild";
  if (file.empty()) file = std::filesystem::path(s.file).parent_path() / (s.name + ".timings.txt");
  const std::vector<double> times = measure_task_times(s, count);
  const TimingStats t = timing_stats(times);
  const std::string what =
      hogwild ? fmt::format("one HOGWILD! update of {} on {}", s.model_type, s.data_source)
              : fmt::format("the gradient of a batch of {} for {} on {}", s.batch_size,
                            s.model_type, s.data_source);
  write_samples_file(
      file, times,
      fmt::format("sgdsim calibrate {}: wall seconds of {}, on one thread of this machine.\n"
                  "{} tasks; mean {:.4g} s, median {:.4g} s, p90 {:.4g} s, p99 {:.4g} s.",
                  s.file, what, times.size(), t.mean, t.p50, t.p90, t.p99),
      replace);
  std::string text = fmt::format(
      "{}: timed {} tasks ({}): mean {:.4g} us, median {:.4g} us, p90 {:.4g} us, p99 {:.4g} "
      "us\nwrote {}\nuse it as   compute: {{time: {{dist: empirical, file: {}}}}}\n",
      s.name, times.size(), what, t.mean * 1e6, t.p50 * 1e6, t.p90 * 1e6, t.p99 * 1e6,
      file.string(), file.filename().string());
  if (hogwild)
    text += "(with hogwild.read_cost and hogwild.write_cost 0: the times include them)\n";
  else if (s.batch_size != s.reference_batch)
    text += fmt::format("(and compute.reference_batch: {})\n", s.batch_size);
  return text;
}

}  // namespace sgdsim
