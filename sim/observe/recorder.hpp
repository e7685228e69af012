#pragma once
// What a run records: every applied gradient (updates.csv), every synchronous round (rounds.csv),
// throughput over time (metrics.csv), and the running statistics that summary.json reports.
// Rows are streamed as they happen; only the statistics stay in memory.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/engine/time.hpp"
#include "sim/observe/evaluation.hpp"

namespace sgdsim {

/// One gradient applied to one parameter node (shard).
struct UpdateRecord {
  SimTime time = 0;           ///< When the parameter node applied it.
  std::uint32_t worker = 0;   ///< Who computed it.
  std::uint32_t shard = 0;    ///< Which parameter node applied it.
  std::uint64_t v_read = 0;   ///< Version of the shard the worker read.
  std::uint64_t v_apply = 0;  ///< Version of the shard it was applied to.
  std::int64_t round = -1;    ///< Synchronous round, or -1 for asynchronous protocols.
  std::uint64_t staleness() const { return v_apply - v_read; }
};

/// One synchronous round: from the end of the previous round to the last shard's update.
struct RoundRecord {
  std::uint64_t round = 0;
  SimTime start = 0;
  SimTime end = 0;
  std::uint32_t contributors = 0;  ///< Gradients that went into the update.
  /// Workers with no gradient in the update: preempted, late, or failed (their work dropped).
  std::uint32_t dropped = 0;
};

/// Mean and standard error of a stream of values (Welford's algorithm, numerically stable).
class RunningStats {
 public:
  void add(double x);
  std::uint64_t count() const { return n_; }
  double mean() const { return mean_; }
  /// Sample variance (n - 1 denominator); 0 with fewer than two values.
  double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
  /// Standard error of the mean.
  double standard_error() const;

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0, m2_ = 0.0;
};

/// Where the recorder writes; any stream may be null to skip that file.
struct RecorderSinks {
  std::ostream* updates = nullptr;
  std::ostream* rounds = nullptr;
  std::ostream* metrics = nullptr;
  std::uint64_t metrics_every = 100;     ///< Model updates between metrics rows; 0: none by count.
  std::uint64_t updates_max_rows = 0;    ///< Rows of `updates` written at most; 0: no cap.
  std::function<Evaluation()> evaluate;  ///< Evaluates the model for each row; empty: no model.
  std::optional<double> target_loss;     ///< A training loss whose first attainment is timed.
};

/// Collects the observable history of a run.
class Recorder {
 public:
  /// Writes the CSV headers to the sinks given.
  explicit Recorder(RecorderSinks sinks);

  /// A gradient was applied by a parameter node.
  void gradient_applied(const UpdateRecord& r);

  /// A whole model update completed at `t` (a synchronous round, or an asynchronous gradient
  /// applied by every parameter node); this is what "updates" counts.
  void model_updated(SimTime t);

  /// `count` more whole model updates, one gradient each, reported at once by a backend that
  /// does not record them one by one (real threads); their staleness is not known.
  void updates_made(std::uint64_t count);

  /// A synchronous round closed.
  void round_closed(const RoundRecord& r);

  /// Worker `w` was blocked from reading for `duration` (stale-synchronous parallel).
  void worker_blocked(std::uint32_t w, SimTime duration);

  /// Writes a metrics row now (evaluating the model, if any), whatever the count of updates.
  void sample(SimTime t);

  /// Writes the last metrics row if the run ended between rows.
  void finish(SimTime end);

  /// The evaluations made so far.
  const EvaluationLog& evaluations() const { return evaluations_; }

  std::uint64_t updates() const { return updates_; }
  std::uint64_t gradients() const { return gradients_; }
  std::uint64_t gradients_dropped() const { return dropped_; }
  /// Rows of applied gradients that the updates sink's cap left out (0 without a sink).
  std::uint64_t update_rows_left_out() const { return update_rows_left_out_; }
  const RunningStats& round_time() const { return round_time_; }
  /// Time each worker spent blocked, by worker (empty when none was).
  const std::vector<SimTime>& blocked_time() const { return blocked_; }
  /// Mean staleness of the applied gradients (0 before any).
  double mean_staleness() const {
    return gradients_ ? static_cast<double>(staleness_sum_) / static_cast<double>(gradients_) : 0.0;
  }
  std::uint64_t max_staleness() const {
    return staleness_hist_.empty() ? 0 : staleness_hist_.size() - 1;
  }
  /// Count of applied gradients by staleness (index = staleness).
  const std::vector<std::uint64_t>& staleness_histogram() const { return staleness_hist_; }

 private:
  void write_metrics_row(SimTime t);
  void write_metrics_line(SimTime t, const std::optional<Evaluation>& e);

  RecorderSinks sinks_;
  EvaluationLog evaluations_;
  std::uint64_t updates_ = 0, gradients_ = 0, dropped_ = 0;
  std::uint64_t update_rows_ = 0, update_rows_left_out_ = 0;
  RunningStats round_time_;
  std::uint64_t staleness_sum_ = 0;  ///< Integers: exact, and no division per gradient.
  std::vector<std::uint64_t> staleness_hist_;
  std::vector<SimTime> blocked_;
  std::string line_;
  // The metrics window: since the previous row.
  SimTime window_start_ = 0;
  std::uint64_t window_updates_ = 0, window_gradients_ = 0;
  std::uint64_t window_staleness_sum_ = 0;
  SimTime last_row_time_ = -1;
};

}  // namespace sgdsim
