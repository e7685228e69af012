#include "hogwild/threaded_hogwild.hpp"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <thread>
#include <utility>

#include "hogwild/term_sampler.hpp"
#include "hogwild/update.hpp"

namespace sgdsim {
namespace {

using hogwild_detail::SharedModel;
using Clock = std::chrono::steady_clock;

/// Each thread's updates between asking ThreadedSettings::stop: a few milliseconds of work, and
/// a call too rare to cost anything measurable.
constexpr std::uint64_t kStopCheckEvery = 4096;

/// What one thread measured; merged into the result once the threads have joined.
struct ThreadReport {
  LogHistogram times;
  std::uint64_t conflicts = 0, lost = 0;
  std::vector<std::uint64_t> staleness;
  std::vector<double> applied;
  bool pinned = false;  ///< The thread runs on the processor ThreadedSettings::cpus gave it.
};

/// The update counts at which the threads meet: the start, every `every` updates when evaluating,
/// and the end.
std::vector<std::uint64_t> meeting_points(std::uint64_t total, std::uint64_t every) {
  std::vector<std::uint64_t> points{0};
  if (every > 0)
    for (std::uint64_t u = every; u < total; u += every) points.push_back(u);
  if (total > 0) points.push_back(total);
  return points;
}

/// Throws std::invalid_argument when `s` does not fit `f` and `x0`.
void check(const SparseObjective& f, std::span<const double> x0, const ThreadedSettings& s) {
  if (s.threads == 0) throw std::invalid_argument("HOGWILD! needs at least one thread");
  if (s.time_every == 0) throw std::invalid_argument("time_every must be at least 1");
  if (s.updates == 0) throw std::invalid_argument("a run needs at least one update");
  if (x0.size() != f.dimension())
    throw std::invalid_argument("the initial parameters do not have the model's dimension");
  if (s.partition.empty()) return;
  if (s.partition.size() != s.threads)
    throw std::invalid_argument("the partition must give one list of terms per thread");
  for (const auto& terms : s.partition) {
    if (terms.empty()) throw std::invalid_argument("a thread's list of terms is empty");
    for (std::size_t e : terms)
      if (e >= f.terms()) throw std::invalid_argument("the partition names a term out of range");
  }
}

/// What the threads share: the model, the meeting points and the bookkeeping of the wall clock
/// and the evaluations, which only the barrier's completion step touches (one thread at a time,
/// while the others wait).
struct Run {
  const SparseObjective& f;
  const ThreadedSettings& settings;
  const EvaluationCallback& on_eval;
  SharedModel model;
  std::vector<std::uint64_t> points;
  std::size_t meeting = 0;  ///< The meeting in progress, an index into `points`.
  Clock::time_point segment_start{};
  Clock::duration updating{0};  ///< Wall time between meetings, summed.
  std::vector<EvaluationPoint> evaluations{};
  std::exception_ptr error{};  ///< What the callback threw.
  bool aborted = false;        ///< Read by the threads after each meeting.
  /// A thread saw settings.stop say true and left its updates before the meeting point.
  std::atomic<bool> stopping{false};
  /// Each thread's next update, written before it arrives at a meeting it came to early.
  std::vector<std::uint64_t> next_update = std::vector<std::uint64_t>(settings.threads, 0);
  std::uint64_t made = 0;  ///< Updates made when the run ended, once stopped early.

  double wall_seconds() const { return std::chrono::duration<double>(updating).count(); }

  /// Updates made by all threads when they met early: thread t made those of t, t + threads, ...
  /// below its next one.
  std::uint64_t updates_made() const {
    std::uint64_t total = 0;
    for (std::size_t t = 0; t < next_update.size(); ++t)
      total += (next_update[t] - t) / settings.threads;
    return total;
  }

  /// The barrier's completion step: stops the clock, evaluates when asked to, restarts the clock,
  /// so the time spent evaluating never counts. A meeting that a stop brought early is the last.
  void meet() noexcept {
    const Clock::time_point now = Clock::now();
    if (meeting > 0) updating += now - segment_start;
    // The barrier orders every thread's writes before this step.
    const bool stopped = stopping.load(std::memory_order_relaxed);
    if (stopped) {
      made = updates_made();
      aborted = true;
    }
    if (settings.evaluate_every > 0) {
      try {
        const std::uint64_t u = stopped ? made : points[meeting];
        const double epoch = f.terms() > 0 ? double(u) / double(f.terms()) : 0.0;
        const EvaluationPoint p{wall_seconds(), u, epoch};
        evaluations.push_back(p);
        if (on_eval) on_eval(p, model.x);
      } catch (...) {
        error = std::current_exception();
        aborted = true;
      }
    }
    ++meeting;
    segment_start = Clock::now();
  }
};

/// The completion step of the threads' barrier (std::barrier asks for a nothrow callable).
struct Meet {
  Run* run;
  void operator()() noexcept { run->meet(); }
};

/// Pins the calling thread to processor `cpu`, and says whether it could; where it cannot (a
/// processor outside the process's set), the thread stays where the kernel put it: pinning is for
/// speed, not results.
bool pin_to(unsigned cpu) {
  if (cpu >= CPU_SETSIZE) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

/// Thread t's part of the run: updates t, t + threads, t + 2 threads, ..., meeting the others at
/// each meeting point.
template <WriteSemantics kWrites, bool kInstrument>
void work(Run& run, std::barrier<Meet>& barrier, std::size_t t, ThreadReport& out) {
  const ThreadedSettings& s = run.settings;
  ThreadReport report;
  report.pinned = !s.cpus.empty() && pin_to(s.cpus[t % s.cpus.size()]);
  const std::size_t n = run.f.terms();
  TermSampler sampler(s.seed, t, n,
                      s.partition.empty() ? std::span<const std::size_t>{} : s.partition[t]);
  hogwild_detail::Scratch scratch;
  const auto* linear = dynamic_cast<const SparseLinearObjective*>(&run.f);
  // Counters live in `report`, not in `out`, until the end: the threads' reports sit side by
  // side, and writing them on every update would bounce their cache lines between cores.
  if constexpr (kInstrument) report.applied.assign(run.f.dimension(), 0.0);
  std::uint64_t u = t, until_timed = s.time_every, until_stop_check = kStopCheckEvery;
  // Terms are drawn one ahead, so that the next one's row is on its way during this update.
  std::size_t next = sampler.next();
  barrier.arrive_and_wait();
  for (std::size_t i = 1; i < run.points.size() && !run.aborted; ++i) {
    for (; u < run.points[i]; u += s.threads) {
      const double step = s.step.at(u);
      const std::size_t e = std::exchange(next, sampler.next());
      if constexpr (!kInstrument)  // Instrumented updates read the rows through support().
        if (linear) hogwild_detail::prefetch_row(*linear, next);
      hogwild_detail::Interference seen;
      if (--until_timed > 0) {
        seen = hogwild_detail::update_term<kWrites, kInstrument>(run.f, linear, e, step, run.model,
                                                                 scratch, report.applied);
      } else {
        until_timed = s.time_every;
        const Clock::time_point start = Clock::now();
        seen = hogwild_detail::update_term<kWrites, kInstrument>(run.f, linear, e, step, run.model,
                                                                 scratch, report.applied);
        report.times.add(std::chrono::duration<double>(Clock::now() - start).count());
      }
      if constexpr (kInstrument) {
        report.conflicts += seen.conflicts;
        report.lost += seen.lost;
        if (seen.staleness >= report.staleness.size()) report.staleness.resize(seen.staleness + 1);
        ++report.staleness[seen.staleness];
      }
      if (--until_stop_check == 0) {
        until_stop_check = kStopCheckEvery;
        if (s.stop && s.stop()) {
          u += s.threads;  // This update is made: the next is the one after.
          run.stopping.store(true, std::memory_order_relaxed);
          break;
        }
      }
    }
    // Every thread records where it is, for a meeting that a stop brings early.
    run.next_update[t] = u;
    barrier.arrive_and_wait();
  }
  out = std::move(report);
}

using Work = void (*)(Run&, std::barrier<Meet>&, std::size_t, ThreadReport&);

/// The instance of `work` for the settings: choosing once per thread keeps the per-update loop
/// free of branches on settings, and the uninstrumented one free of the instruments.
Work pick_work(WriteSemantics writes, bool instrument) {
  if (writes == WriteSemantics::kAtomicAdd)
    return instrument ? &work<WriteSemantics::kAtomicAdd, true>
                      : &work<WriteSemantics::kAtomicAdd, false>;
  return instrument ? &work<WriteSemantics::kRacy, true> : &work<WriteSemantics::kRacy, false>;
}

/// Adds the reports of the threads, in thread order, into `r`.
void merge(std::span<const ThreadReport> reports, ThreadedResult& r) {
  r.pinned = !reports.empty();
  for (const ThreadReport& report : reports) {
    r.pinned = r.pinned && report.pinned;
    r.update_times.histogram.merge(report.times);
    r.conflicts += report.conflicts;
    r.lost_updates += report.lost;
    if (report.staleness.size() > r.staleness_histogram.size())
      r.staleness_histogram.resize(report.staleness.size(), 0);
    for (std::size_t k = 0; k < report.staleness.size(); ++k)
      r.staleness_histogram[k] += report.staleness[k];
    if (r.applied.empty()) r.applied.assign(report.applied.size(), 0.0);
    for (std::size_t v = 0; v < report.applied.size(); ++v) r.applied[v] += report.applied[v];
  }
}

}  // namespace

std::vector<unsigned> available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<unsigned> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

ThreadedResult run_threaded_hogwild(const SparseObjective& f, std::vector<double> x0,
                                    const ThreadedSettings& s, const EvaluationCallback& on_eval) {
  check(f, x0, s);
  std::vector<std::uint64_t> writes(s.instrument ? f.dimension() : 0, 0);
  std::atomic<std::uint64_t> clock{0};
  Run run{f, s, on_eval, SharedModel{x0, writes, &clock},
          meeting_points(s.updates, s.evaluate_every)};
  std::barrier<Meet> barrier(static_cast<std::ptrdiff_t>(s.threads), Meet{&run});
  std::vector<ThreadReport> reports(s.threads);
  const Work work_of_thread = pick_work(s.writes, s.instrument);
  {
    std::vector<std::jthread> threads;
    threads.reserve(s.threads);
    for (std::size_t t = 0; t < s.threads; ++t)
      threads.emplace_back(work_of_thread, std::ref(run), std::ref(barrier), t,
                           std::ref(reports[t]));
  }  // Joined here: every write to the model and the reports happens before what follows.
  if (run.error) std::rethrow_exception(run.error);

  ThreadedResult r;
  // A stop seen as the last updates were made leaves the run whole.
  r.stopped = run.stopping.load() && run.made < run.points.back();
  r.updates = run.stopping.load() ? run.made : run.points.back();
  r.wall_seconds = run.wall_seconds();
  r.updates_per_second = r.wall_seconds > 0.0 ? double(r.updates) / r.wall_seconds : 0.0;
  r.evaluations = std::move(run.evaluations);
  merge(reports, r);
  r.update_times.every = s.time_every;
  r.update_times.p50 = r.update_times.histogram.quantile(0.50);
  r.update_times.p90 = r.update_times.histogram.quantile(0.90);
  r.update_times.p99 = r.update_times.histogram.quantile(0.99);
  r.coordinate_writes = std::move(writes);
  r.x = std::move(x0);
  return r;
}

}  // namespace sgdsim
