// Synchronous SGD by ring all-reduce (Patarasuk and Yuan 2009; Baidu's and Horovod's allreduce),
// with no parameter node. The model is cut into P chunks. In step t (0 <= t < 2(P - 1)) worker w
// sends chunk (w - t) mod P to its successor: the first P - 1 steps reduce (each adds what it
// receives to its own gradient's chunk and passes the sum on), the last P - 1 gather the reduced
// chunks. A worker may send step t once it has computed its gradient and received step t - 1, so
// one straggler holds up the whole ring. Each link carries 2(P - 1) chunks per round, 2(P - 1)/P of
// the model, whatever P is: the algorithm is bandwidth-optimal.
//
// The replicas stay identical: a round's update is applied once, to the model every replica
// shares, when the first worker has gathered every chunk, as the mean of the gradients summed in
// worker order (as a parameter node would), so a run's losses equal synchronous SGD's and only the
// timing differs.

#include <fmt/format.h>

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class RingAllReduce final : public Protocol {
 public:
  RingAllReduce(ProtocolContext ctx, std::uint64_t dimension)
      : ctx_(std::move(ctx)), state_(workers()) {
    const std::uint32_t p = workers();
    // Chunk c's bytes: the model's values split as evenly as P parts can be.
    for (std::uint32_t c = 0; c < p; ++c)
      chunk_bytes_.push_back((dimension / p + (c < dimension % p ? 1 : 0)) * ctx_.value_bytes +
                             ctx_.header_bytes);
    for (std::uint32_t w = 0; w < p; ++w)
      state_[w].next =
          ctx_.network.route(ctx_.cluster.worker_node(w), ctx_.cluster.worker_node((w + 1) % p));
  }

  void start() override {
    for (std::uint32_t w = 0; w < workers(); ++w) begin_round(w);
  }

  void fail_worker(std::uint32_t w) override {
    // A ring has no way round a dead member: every worker waits at its next step for ever.
    Worker& s = state_[w];
    if (s.failed) return;
    s.failed = true;
    ctx_.sim.cancel(s.compute_event);
    trace_failure(ctx_, w);
  }

 private:
  struct Worker {
    GradientPool::Slot gradient = 0;  ///< This round's gradient, held until the round applies.
    std::uint64_t rounds = 0;         ///< Rounds begun.
    std::uint64_t v_read = 0;         ///< The version this round's gradient was computed on.
    Network::Route next;              ///< To the successor on the ring.
    EventId compute_event;
    SimTime reduce_start = 0;
    std::uint32_t sent = 0;      ///< Steps of this round sent.
    std::uint32_t received = 0;  ///< Steps of this round received from the predecessor.
    bool computed = false;
    bool failed = false;
  };

  std::uint32_t workers() const { return ctx_.cluster.worker_count(); }
  std::uint32_t steps() const { return 2 * (workers() - 1); }

  void begin_round(std::uint32_t w) {
    Worker& s = state_[w];
    s.sent = s.received = 0;
    s.computed = false;
    // The gradient goes into a record of its own, with the version it reads: whatever the worker
    // does next, the round applies exactly what was computed here.
    s.gradient = gradients_.acquire();
    ComputedGradient& g = gradients_[s.gradient];
    g.worker = w;
    g.task = s.rounds++;
    s.v_read = version_;
    const ShardSnapshot read = ctx_.learner.snapshot(0);
    ctx_.learner.compute(w, std::span(&read, 1), g.values);
    const SimTime now = ctx_.sim.now();
    const SimTime duration = ctx_.cluster.compute_time(w, ctx_.work);
    if (ctx_.trace)
      ctx_.trace->span(ctx_.cluster.worker_node(w), "compute", now, duration,
                       fmt::format("\"v_read\":{}", version_));
    s.compute_event = ctx_.sim.schedule_in(duration, [this, w] {
      ctx_.learner.finish(w, gradients_[state_[w].gradient].values);
      state_[w].computed = true;
      state_[w].reduce_start = ctx_.sim.now();
      send_ready(w);
    });
  }

  /// Sends every step worker w is ready to send.
  void send_ready(std::uint32_t w) {
    Worker& s = state_[w];
    while (!s.failed && s.computed && s.sent < steps() && s.received >= s.sent) {
      const std::uint32_t p = workers();
      const std::uint32_t chunk = (w + p - s.sent % p) % p;
      const std::uint32_t to = (w + 1) % p;
      ++s.sent;
      ctx_.network.send(s.next, chunk_bytes_[chunk], [this, to] { on_step_arrived(to); });
    }
  }

  void on_step_arrived(std::uint32_t w) {
    Worker& s = state_[w];
    if (s.failed) return;
    ++s.received;
    send_ready(w);
    if (s.received == steps()) finish_round(w);
  }

  void finish_round(std::uint32_t w) {
    const SimTime now = ctx_.sim.now();
    if (ctx_.trace)
      ctx_.trace->span(ctx_.cluster.worker_node(w), "all-reduce", state_[w].reduce_start,
                       now - state_[w].reduce_start);
    // The first replica to hold the reduced gradient applies it for all (see the top of the file).
    if (++finished_ == 1) apply(now);
    if (finished_ == workers()) finished_ = 0;
    begin_round(w);
  }

  void apply(SimTime now) {
    slices_.clear();
    for (std::uint32_t w = 0; w < workers(); ++w) {
      const ComputedGradient& g = gradients_[state_[w].gradient];
      ctx_.recorder.gradient_applied(
          {now, w, 0, state_[w].v_read, version_, static_cast<std::int64_t>(version_)});
      if (!g.values.empty()) slices_.push_back(&g.values[0]);
    }
    ctx_.learner.apply(0, slices_);
    for (const Worker& s : state_) gradients_.release(s.gradient);
    ctx_.recorder.model_updated(now);
    ctx_.recorder.round_closed({version_, round_start_, now, workers(), 0});
    if (ctx_.trace)
      ctx_.trace->checkpoint("all-reduce", now, fmt::format("\"round\":{}", version_));
    ++version_;
    round_start_ = now;
  }

  ProtocolContext ctx_;
  GradientPool gradients_;
  std::vector<Worker> state_;
  std::vector<std::uint64_t> chunk_bytes_;
  std::vector<const std::vector<double>*> slices_;  ///< Scratch for apply().
  std::uint32_t finished_ = 0;  ///< Workers that have finished the current round.
  std::uint64_t version_ = 0;
  SimTime round_start_ = 0;
};

}  // namespace

std::unique_ptr<Protocol> make_ring_all_reduce(ProtocolContext ctx, std::uint64_t dimension) {
  return std::make_unique<RingAllReduce>(std::move(ctx), dimension);
}

}  // namespace sgdsim
