#include "sim/protocols/protocol.hpp"

#include <fmt/format.h>

namespace sgdsim {

void trace_failure(const ProtocolContext& ctx, std::uint32_t w) {
  if (ctx.trace)
    ctx.trace->checkpoint("worker failed", ctx.sim.now(), fmt::format("\"worker\":{}", w));
}

ParameterNodeProtocol::ParameterNodeProtocol(ProtocolContext ctx)
    : ctx_(std::move(ctx)), state_(workers()), pairs_(pair(workers(), 0)), versions_(shards(), 0) {
  for (WorkerState& s : state_) s.awaiting = shards();
  // Routes are found once here, not per message.
  for (std::uint32_t w = 0; w < workers(); ++w)
    for (std::uint32_t shard = 0; shard < shards(); ++shard) {
      const NodeId worker = ctx_.cluster.worker_node(w), node = ctx_.cluster.parameter_node(shard);
      pairs_[pair(w, shard)].down = ctx_.network.route(node, worker);
      pairs_[pair(w, shard)].up = ctx_.network.route(worker, node);
    }
}

void ParameterNodeProtocol::send_model(std::uint32_t shard, std::uint32_t w) {
  // The version and snapshot are taken now: what the worker reads is what the node held when it
  // sent, whatever the node applies while the message is on the wire. The version travels in the
  // message; the snapshot waits in the pair's state (a worker has at most one model message per
  // shard in flight), which keeps the closure small enough to be stored inline.
  PairState& p = pairs_[pair(w, shard)];
  p.read = ctx_.learner.snapshot(shard);
  const std::uint64_t v = versions_[shard];
  ctx_.network.send(p.down, ctx_.shard_bytes[shard],
                    [this, w, shard, v] { on_model_arrived(w, shard, v); });
}

void ParameterNodeProtocol::on_model_arrived(std::uint32_t w, std::uint32_t shard,
                                             std::uint64_t v) {
  WorkerState& s = state_[w];
  if (s.failed) return;  // A failed machine reads nothing.
  if (s.computing) {
    // A newer model preempts the task in progress (K-sync cancels the stragglers' work this
    // way); the worker starts again once it holds every shard of the new model.
    ctx_.sim.cancel(s.compute_event);
    s.computing = false;
    s.awaiting = shards();
    ++preempted_;
  }
  pairs_[pair(w, shard)].v_read = v;
  if (--s.awaiting == 0) compute_and_push(w);
}

void ParameterNodeProtocol::compute_and_push(std::uint32_t w) {
  WorkerState& s = state_[w];
  const SimTime now = ctx_.sim.now();
  const NodeId node = ctx_.cluster.worker_node(w);
  if (ctx_.trace) ctx_.trace->span(node, "wait", s.idle_since, now - s.idle_since);
  // Eager evaluation on the exact read; the snapshots can then be released, unless the worker
  // will compute on them again.
  for (std::uint32_t shard = 0; shard < shards(); ++shard) {
    ShardSnapshot& read = pairs_[pair(w, shard)].read;
    reading_.push_back(keep_computing_ ? read : std::move(read));
  }
  ctx_.learner.compute(w, reading_, s.gradient);
  reading_.clear();
  const SimTime duration = ctx_.cluster.compute_time(w, ctx_.work);
  if (ctx_.trace)
    ctx_.trace->span(node, "compute", now, duration,
                     fmt::format("\"v_read\":{}", pairs_[pair(w, 0)].v_read));
  s.computing = true;
  s.compute_event = ctx_.sim.schedule_in(duration, [this, w] { push(w); });
}

void ParameterNodeProtocol::push(std::uint32_t w) {
  WorkerState& s = state_[w];
  s.computing = false;
  s.idle_since = ctx_.sim.now();
  s.awaiting = shards();
  for (std::uint32_t shard = 0; shard < shards(); ++shard) {
    // A compressed gradient puts its encoding on the wire; any other, the whole slice. The
    // version it was computed on travels with it.
    const std::optional<std::uint64_t> payload = ctx_.learner.push_bytes(w, shard);
    const std::uint64_t bytes = payload ? *payload + ctx_.header_bytes : ctx_.shard_bytes[shard];
    const std::uint64_t v = pairs_[pair(w, shard)].v_read;
    if (keep_computing_ && shard < s.gradient.size()) {
      // The worker's buffer is overwritten by its next task: the message carries a copy.
      auto slice = std::make_shared<const std::vector<double>>(s.gradient[shard]);
      ctx_.network.send(pairs_[pair(w, shard)].up, bytes,
                        [this, w, shard, v, slice = std::move(slice)]() mutable {
                          on_push_arrived({w, v, std::move(slice)}, shard);
                        });
    } else {
      ctx_.network.send(pairs_[pair(w, shard)].up, bytes, [this, w, shard, v] {
        on_push_arrived({w, v, nullptr}, shard);
      });
    }
  }
  if (keep_computing_) compute_and_push(w);
}

void ParameterNodeProtocol::fail_worker(std::uint32_t w) {
  WorkerState& s = state_[w];
  if (s.failed) return;
  s.failed = true;
  ++failed_;
  if (s.computing) ctx_.sim.cancel(s.compute_event);
  s.computing = false;
  trace_failure(ctx_, w);
}

void ParameterNodeProtocol::apply(std::uint32_t shard, std::span<const Push> pushes,
                                  std::int64_t round) {
  const SimTime now = ctx_.sim.now();
  slices_.clear();
  for (const Push& push : pushes) {
    ctx_.recorder.gradient_applied({now, push.worker, shard, push.v_read, versions_[shard], round});
    const Gradient& gradient = state_[push.worker].gradient;
    if (push.slice)
      slices_.push_back(push.slice.get());
    else if (shard < gradient.size())
      slices_.push_back(&gradient[shard]);
  }
  ctx_.learner.apply(shard, slices_);
  ++versions_[shard];
}

}  // namespace sgdsim
