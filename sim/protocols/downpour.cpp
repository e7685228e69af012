// Downpour SGD (Dean et al. 2012): sharded parameter nodes, each applying its own update rule
// (Adagrad, in the paper) to the gradients of its slice as they arrive; workers that fetch the
// model every n_fetch steps and push the gradients they have accrued every n_push steps. Between
// fetches a worker computes on its own copy of the model, which it may move by its own plain SGD
// step. A fetch is a request to each shard and the shard's reply; by default the worker waits for
// it, and with background fetches (the paper's pseudo-code) it computes on while the model
// travels, taking it in when it lands.
//
// A push and the next fetch leave a worker on the same route, in that order, and links deliver
// in order: a fetch always sees the worker's own last push. With one worker, one shard and
// n_fetch = n_push = 1 this is plain single-node Adagrad.

#include <fmt/format.h>

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class Downpour final : public Protocol {
 public:
  Downpour(ProtocolContext ctx, DownpourSettings settings)
      : ctx_(std::move(ctx)), settings_(settings), state_(workers()), versions_(shards(), 0) {
    for (std::uint32_t w = 0; w < workers(); ++w) {
      Worker& s = state_[w];
      s.v_local.assign(shards(), 0);
      s.v_accrued.assign(shards(), 0);
      for (std::uint32_t shard = 0; shard < shards(); ++shard) {
        const NodeId worker = ctx_.cluster.worker_node(w),
                     node = ctx_.cluster.parameter_node(shard);
        s.up.push_back(ctx_.network.route(worker, node));
        s.down.push_back(ctx_.network.route(node, worker));
      }
    }
  }

  void start() override {
    for (std::uint32_t w = 0; w < workers(); ++w) {
      // Every replica starts from the initial model; step 0 fetches it all the same, unless
      // fetches run in the background.
      for (std::uint32_t shard = 0; shard < shards(); ++shard)
        if (const ShardSnapshot initial = ctx_.learner.snapshot(shard))
          state_[w].local.push_back(*initial);
      begin_step(w);
    }
  }

  void fail_worker(std::uint32_t w) override {
    Worker& s = state_[w];
    if (s.failed) return;
    s.failed = true;
    ctx_.sim.cancel(s.compute_event);
    trace_failure(ctx_, w);
  }

 private:
  struct Worker {
    Gradient local;    ///< The worker's copy of the parameters, one slice per shard.
    Gradient accrued;  ///< Gradients summed since the last push.
    std::vector<std::uint64_t> v_local;    ///< Per shard: the version the copy was fetched at.
    std::vector<std::uint64_t> v_accrued;  ///< Per shard: that version when accruing began.
    std::vector<Network::Route> up, down;  ///< Per shard.
    std::uint64_t step = 0;
    std::uint64_t pushes = 0;
    std::uint32_t awaiting = 0;  ///< Shards whose reply a waiting fetch still needs.
    std::uint32_t applied = 0;   ///< Shards that applied the worker's last push.
    EventId compute_event;
    SimTime idle_since = 0;
    bool failed = false;
  };

  std::uint32_t workers() const { return ctx_.cluster.worker_count(); }
  std::uint32_t shards() const { return ctx_.cluster.parameter_node_count(); }

  void begin_step(std::uint32_t w) {
    Worker& s = state_[w];
    s.idle_since = ctx_.sim.now();
    if (s.step % settings_.fetch_every == 0) {
      for (std::uint32_t shard = 0; shard < shards(); ++shard)
        ctx_.network.send(s.up[shard], ctx_.header_bytes,
                          [this, w, shard] { on_fetch_request(w, shard); });
      if (!settings_.background_fetch) {
        s.awaiting = shards();
        return;
      }
    }
    compute(w);
  }

  void on_fetch_request(std::uint32_t w, std::uint32_t shard) {
    ShardSnapshot model = ctx_.learner.snapshot(shard);
    const std::uint64_t v = versions_[shard];
    ctx_.network.send(state_[w].down[shard], ctx_.shard_bytes[shard],
                      [this, w, shard, v, model = std::move(model)]() mutable {
                        on_model_arrived(w, shard, v, std::move(model));
                      });
  }

  void on_model_arrived(std::uint32_t w, std::uint32_t shard, std::uint64_t v,
                        ShardSnapshot model) {
    Worker& s = state_[w];
    if (s.failed) return;
    if (model) s.local[shard] = *model;
    s.v_local[shard] = v;
    if (s.awaiting > 0 && --s.awaiting == 0) compute(w);
  }

  void compute(std::uint32_t w) {
    Worker& s = state_[w];
    const SimTime now = ctx_.sim.now();
    const NodeId node = ctx_.cluster.worker_node(w);
    if (ctx_.trace) ctx_.trace->span(node, "wait", s.idle_since, now - s.idle_since);
    if (s.step % settings_.push_every == 0) s.v_accrued = s.v_local;
    // Eager evaluation on the copy as it is now; a background fetch landing later changes the
    // copy for the next step only.
    ctx_.learner.accrue(w, s.local, s.accrued, settings_.local_step);
    const SimTime duration = ctx_.cluster.compute_time(w, ctx_.work);
    if (ctx_.trace)
      ctx_.trace->span(node, "compute", now, duration,
                       fmt::format("\"v_read\":{}", s.v_local.empty() ? 0 : s.v_local[0]));
    s.compute_event = ctx_.sim.schedule_in(duration, [this, w] { end_step(w); });
  }

  void end_step(std::uint32_t w) {
    Worker& s = state_[w];
    if (++s.step % settings_.push_every == 0) push(w);
    begin_step(w);
  }

  void push(std::uint32_t w) {
    Worker& s = state_[w];
    ctx_.learner.compress(w, s.accrued);
    // The accrued sum moves into a pooled record that its messages own, one hold per shard; the
    // worker accrues again from zero in the buffers the record gives back.
    const GradientPool::Slot slot = gradients_.acquire(shards());
    ComputedGradient& g = gradients_[slot];
    g.worker = w;
    g.task = s.pushes++;
    g.values.swap(s.accrued);
    for (std::vector<double>& slice : s.accrued) std::fill(slice.begin(), slice.end(), 0.0);
    for (std::uint32_t shard = 0; shard < shards(); ++shard) {
      const std::optional<std::uint64_t> payload = ctx_.learner.push_bytes(w, shard);
      const std::uint64_t bytes = payload ? *payload + ctx_.header_bytes : ctx_.shard_bytes[shard];
      ctx_.network.send(s.up[shard], bytes, [this, slot, shard, v = s.v_accrued[shard]] {
        on_push_arrived(PushedSlice(gradients_, slot, shard, v), shard);
      });
    }
  }

  void on_push_arrived(const PushedSlice& push, std::uint32_t shard) {
    const SimTime now = ctx_.sim.now();
    ctx_.recorder.gradient_applied(
        {now, push.worker(), shard, push.v_read(), versions_[shard], -1});
    if (const std::vector<double>* slice = push.values())
      ctx_.learner.apply(shard, std::span(&slice, 1));
    ++versions_[shard];
    // A push is one model update once every shard has applied its slice; a worker's pushes
    // reach each shard in order, so one counter per worker suffices.
    Worker& s = state_[push.worker()];
    if (++s.applied == shards()) {
      s.applied = 0;
      ctx_.recorder.model_updated(now);
    }
  }

  ProtocolContext ctx_;
  DownpourSettings settings_;
  GradientPool gradients_;  ///< Pushed sums in flight; declared before what refers to it.
  std::vector<Worker> state_;
  std::vector<std::uint64_t> versions_;
};

}  // namespace

std::unique_ptr<Protocol> make_downpour(ProtocolContext ctx, DownpourSettings settings) {
  return std::make_unique<Downpour>(std::move(ctx), settings);
}

}  // namespace sgdsim
