#include "sim/observe/recorder.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sgdsim {
namespace {

/// Seconds printed exactly from integer nanoseconds, so CSVs are byte-identical everywhere.
void append_seconds(std::string& s, SimTime t) {
  fmt::format_to(std::back_inserter(s), "{}.{:09}", t / kNanosPerSecond, t % kNanosPerSecond);
}

}  // namespace

void RunningStats::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

double RunningStats::standard_error() const {
  return n_ > 1 ? std::sqrt(variance() / static_cast<double>(n_)) : 0.0;
}

Recorder::Recorder(RecorderSinks sinks)
    : sinks_(std::move(sinks)), evaluations_(sinks_.target_loss) {
  if (sinks_.updates) *sinks_.updates << "time_s,worker,shard,v_read,v_apply,staleness,round\n";
  if (sinks_.rounds) *sinks_.rounds << "round,start_s,end_s,duration_s,contributors,dropped\n";
  if (sinks_.metrics)
    *sinks_.metrics << "sim_time_s,update,epoch,gradients,train_loss,test_loss,test_accuracy,"
                       "updates_per_s,staleness_mean\n";
}

void Recorder::gradient_applied(const UpdateRecord& r) {
  ++gradients_;
  ++window_gradients_;
  const std::uint64_t tau = r.staleness();
  staleness_sum_ += tau;
  window_staleness_sum_ += tau;
  if (tau >= staleness_hist_.size()) staleness_hist_.resize(tau + 1, 0);
  ++staleness_hist_[tau];
  if (!sinks_.updates) return;
  if (sinks_.updates_max_rows > 0 && update_rows_ == sinks_.updates_max_rows) {
    ++update_rows_left_out_;
    return;
  }
  ++update_rows_;
  line_.clear();
  append_seconds(line_, r.time);
  fmt::format_to(std::back_inserter(line_), ",{},{},{},{},{},", r.worker, r.shard, r.v_read,
                 r.v_apply, tau);
  if (r.round >= 0) fmt::format_to(std::back_inserter(line_), "{}", r.round);
  line_ += '\n';
  *sinks_.updates << line_;
}

void Recorder::model_updated(SimTime t) {
  ++updates_;
  ++window_updates_;
  if (sinks_.metrics_every > 0 && updates_ % sinks_.metrics_every == 0) write_metrics_row(t);
}

void Recorder::worker_blocked(std::uint32_t w, SimTime duration) {
  if (blocked_.size() <= w) blocked_.resize(w + 1, 0);
  blocked_[w] += duration;
}

void Recorder::updates_made(std::uint64_t count) {
  updates_ += count;
  gradients_ += count;
  window_updates_ += count;
}

void Recorder::round_closed(const RoundRecord& r) {
  round_time_.add(to_seconds(r.end - r.start));
  dropped_ += r.dropped;
  if (!sinks_.rounds) return;
  line_.clear();
  fmt::format_to(std::back_inserter(line_), "{},", r.round);
  append_seconds(line_, r.start);
  line_ += ',';
  append_seconds(line_, r.end);
  line_ += ',';
  append_seconds(line_, r.end - r.start);
  fmt::format_to(std::back_inserter(line_), ",{},{}\n", r.contributors, r.dropped);
  *sinks_.rounds << line_;
}

void Recorder::sample(SimTime t) {
  write_metrics_row(t);
}

void Recorder::finish(SimTime end) {
  if (window_updates_ > 0 || window_gradients_ > 0) write_metrics_row(end);
}

void Recorder::write_metrics_row(SimTime t) {
  if (t != last_row_time_) {
    // Evaluation reads the model and nothing else: it never advances simulated time.
    std::optional<Evaluation> e;
    if (sinks_.evaluate) {
      e = sinks_.evaluate();
      evaluations_.add(t, *e);
    }
    if (sinks_.metrics) write_metrics_line(t, e);
    last_row_time_ = t;
  }
  window_start_ = t;
  window_updates_ = window_gradients_ = 0;
  window_staleness_sum_ = 0;
}

void Recorder::write_metrics_line(SimTime t, const std::optional<Evaluation>& e) {
  const SimTime span = t - window_start_;
  line_.clear();
  append_seconds(line_, t);
  fmt::format_to(std::back_inserter(line_), ",{},", updates_);
  if (e) fmt::format_to(std::back_inserter(line_), "{:.6f}", e->epoch);
  fmt::format_to(std::back_inserter(line_), ",{},", gradients_);
  if (e) {
    fmt::format_to(std::back_inserter(line_), "{:.9g},{:.9g},", e->train_loss, e->test_loss);
    if (e->test_accuracy) fmt::format_to(std::back_inserter(line_), "{:.6f}", *e->test_accuracy);
  } else {
    line_ += ",,";
  }
  line_ += ',';
  if (span > 0)
    fmt::format_to(std::back_inserter(line_), "{:.6g}",
                   static_cast<double>(window_updates_) / to_seconds(span));
  line_ += ',';
  if (window_gradients_ > 0)
    fmt::format_to(
        std::back_inserter(line_), "{:.6g}",
        static_cast<double>(window_staleness_sum_) / static_cast<double>(window_gradients_));
  line_ += '\n';
  *sinks_.metrics << line_;
}

}  // namespace sgdsim
