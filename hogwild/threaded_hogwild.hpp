#pragma once
// The real HOGWILD! (Niu, Recht, Re and Wright 2011): SGD from many threads on one shared model,
// without locks. A thread samples a term e, reads x_e (the coordinates of support(e)), computes
// the gradient of f_e there and writes back only those coordinates, while the other threads do
// the same. Nothing here knows of scenarios, run directories or simulated time.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "hogwild/log_histogram.hpp"
#include "models/sparse_objective.hpp"
#include "models/update_rule.hpp"

namespace sgdsim {

/// What a threaded run does.
///
/// The write semantics are the simulator's, made real: with kAtomicAdd a thread adds -step g_v to
/// x_v with std::atomic_ref<double>::fetch_add, so every update is applied in full whatever the
/// interleaving; with kRacy it stores x_v(as it read it) - step g_v with a relaxed atomic store,
/// so a write another thread made between this thread's read and its write is overwritten, as
/// with plain loads and stores on hardware (the atomics make it defined behaviour, and cost
/// nothing more on x86-64).
///
/// Update u (counted over all threads from 0 to `updates`) is made by thread u mod threads, so
/// each thread's number of updates, and the step size of each, are fixed in advance whatever the
/// interleaving; only what the threads read of each other's writes is not.
struct ThreadedSettings {
  std::size_t threads = 1;                        ///< Threads updating the model, P.
  WriteSemantics writes = WriteSemantics::kRacy;  ///< How each coordinate is written.
  /// The step of update u is step.at(u), as in the simulator (HOGWILD!'s own rule, a decay
  /// after each epoch, is kStepDecay with `every` the number of terms).
  StepSchedule step;
  std::uint64_t updates = 1;  ///< Updates in all, shared among the threads.
  /// The terms each thread samples from: partition[t] (non-empty) for thread t, or every term
  /// when empty.
  std::vector<std::vector<std::size_t>> partition;
  std::uint64_t seed = 1;  ///< Thread t samples from RandomStream(seed, t, "samples").
  /// Updates between evaluations, 0 for none. When non-zero, the callback runs before the first
  /// update, after every `evaluate_every` updates and after the last.
  std::uint64_t evaluate_every = 0;
  /// Count conflicts, lost updates, staleness and the applied deltas. Off, the threads touch
  /// nothing but the model and their own buffers, for clean speed measurement.
  bool instrument = false;
  /// Each thread times one update in this many (1: every update). Why 64 by default: an update
  /// of a 50-feature sample takes about 0.5 us, and timing it (two steady_clock reads of about
  /// 28 ns on kvm-clock, a logarithm, a bucket) took about 15% of the throughput when every
  /// update was timed (2.8 against 3.25 million updates/s with 2 threads); one in 64 costs less
  /// than the run-to-run noise and still times tens of thousands of updates a second.
  std::uint64_t time_every = 64;
  /// The processors the threads run on: thread t is pinned to cpus[t mod cpus.size()]; empty,
  /// the kernel places and moves them. Pinned, a thread keeps its caches; floating, the kernel may
  /// swap two threads between the cores mid-run, and each must then fetch its share of the model
  /// from the other's caches, or run both on one core for a while. On rows that share no
  /// coordinate, 2 pinned threads did 2.44 times one thread's work against 1.61 floating; on the
  /// SpamAssassin emails, whose common words both threads write, 0.52 against 0.60
  /// (BENCHMARKS.md, "HOGWILD! benchmarks").
  std::vector<unsigned> cpus;
  /// Asked by each thread every 4,096 of its updates (so it must be safe to call from several
  /// threads at once); true ends the run early: the threads stop at once, meet, the callback
  /// evaluates the model they left, and the result counts the updates made (stopped is set).
  /// Empty: the run is never stopped early.
  std::function<bool()> stop;
};

/// The processors this process may run on, in ascending order (empty where it cannot be told):
/// what ThreadedSettings::cpus pins to by default.
std::vector<unsigned> available_cpus();

/// Where an evaluation was made.
struct EvaluationPoint {
  double wall_seconds = 0.0;  ///< Wall time spent updating so far (earlier evaluations excluded).
  std::uint64_t updates = 0;  ///< Updates made so far, by all threads.
  double epoch = 0.0;         ///< updates / n.
};

/// Called at each evaluation point with the model, while every thread waits, so the model does
/// not change under it. It may throw: the run then stops and rethrows the exception.
using EvaluationCallback = std::function<void(const EvaluationPoint&, std::span<const double> x)>;

/// The spread of wall time per update, over the updates that were timed.
struct UpdateTimes {
  LogHistogram histogram;                  ///< Seconds per timed update.
  std::uint64_t every = 1;                 ///< One update in `every` of each thread was timed.
  double p50 = 0.0, p90 = 0.0, p99 = 0.0;  ///< Quantiles of the histogram, in seconds.
};

/// What a threaded run did.
struct ThreadedResult {
  std::vector<double> x;      ///< The final parameters.
  std::uint64_t updates = 0;  ///< Updates made by all threads.
  double wall_seconds = 0.0;  ///< From the first update to the last, evaluations excluded.
  double updates_per_second = 0.0;
  UpdateTimes update_times;
  std::vector<EvaluationPoint> evaluations;  ///< In order; empty when evaluate_every is 0.
  bool pinned = false;   ///< Every thread was pinned to its processor of ThreadedSettings::cpus.
  bool stopped = false;  ///< ThreadedSettings::stop ended the run before `updates`.

  // Instrumented runs only (zero or empty otherwise).
  /// Over all updates, the coordinates of the update's support that another thread wrote between
  /// the update's read and its write (counted once per coordinate and update).
  std::uint64_t conflicts = 0;
  /// Racy writes only: the writes of other threads that updates overwrote, one per coordinate
  /// and intervening write. An estimate: see apply_update in hogwild/update.hpp.
  std::uint64_t lost_updates = 0;
  /// Updates by staleness (index): the updates any thread applied between an update's read and
  /// its write.
  std::vector<std::uint64_t> staleness_histogram;
  /// Per coordinate, the writes made to it.
  std::vector<std::uint64_t> coordinate_writes;
  /// Per coordinate, the sum of the deltas -step g_v the updates meant to apply. With atomic adds
  /// x - x0 equals it up to rounding; with racy writes the difference is what overwrites undid.
  std::vector<double> applied;
};

/// Runs HOGWILD! on `f` from `x0` with `s.threads` threads; `on_eval` (may be empty) is called at
/// the evaluation points. Throws std::invalid_argument when the settings do not fit `f`.
ThreadedResult run_threaded_hogwild(const SparseObjective& f, std::vector<double> x0,
                                    const ThreadedSettings& s, const EvaluationCallback& on_eval);

}  // namespace sgdsim
