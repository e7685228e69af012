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
  // sent, whatever the node applies while the message is on the wire. They travel in a pooled
  // record, so that two models on their way to one worker (rounds closing faster than a link
  // delivers) never mix, and the closure stays small enough to be stored inline.
  const Network::Route& down = pairs_[pair(w, shard)].down;
  ShardSnapshot snapshot = ctx_.learner.snapshot(shard);
  if (!snapshot) {
    // Timing only: the message is its version, which fits in the event itself; a record would
    // only add a cache miss at every arrival.
    ctx_.network.send(down, ctx_.shard_bytes[shard], [this, w, shard, v = versions_[shard]] {
      on_model_arrived(w, shard, {nullptr, v});
    });
    return;
  }
  const auto m = models_.acquire();
  models_[m] = {std::move(snapshot), versions_[shard]};
  ctx_.network.send(down, ctx_.shard_bytes[shard], [this, w, shard, m] {
    ModelMessage message = std::move(models_[m]);
    models_.release(m);
    on_model_arrived(w, shard, std::move(message));
  });
}

void ParameterNodeProtocol::on_model_arrived(std::uint32_t w, std::uint32_t shard,
                                             ModelMessage message) {
  WorkerState& s = state_[w];
  if (s.failed) return;  // A failed machine reads nothing.
  if (s.computing) {
    // A newer model preempts the task in progress (K-sync cancels the stragglers' work this
    // way); the worker starts again once it holds every shard of the new model.
    abandon_task(w);
    s.awaiting = shards();
    ++preempted_;
  }
  PairState& p = pairs_[pair(w, shard)];
  p.held = std::move(message.snapshot);
  p.v_read = message.v;
  if (--s.awaiting == 0) compute_and_push(w);
}

void ParameterNodeProtocol::compute_and_push(std::uint32_t w) {
  WorkerState& s = state_[w];
  const SimTime now = ctx_.sim.now();
  const NodeId node = ctx_.cluster.worker_node(w);
  if (ctx_.trace) ctx_.trace->span(node, "wait", s.idle_since, now - s.idle_since);
  // Eager evaluation on the exact read, into a record of its own that the push will carry; the
  // snapshots can then be released, unless the worker will compute on them again.
  s.task = gradients_.acquire(shards());
  ComputedGradient& g = gradients_[s.task];
  g.worker = w;
  g.task = s.tasks++;
  for (std::uint32_t shard = 0; shard < shards(); ++shard) {
    PairState& p = pairs_[pair(w, shard)];
    reading_.push_back(keep_computing_ ? p.held : std::move(p.held));
  }
  ctx_.learner.compute(w, reading_, g.values);
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
  // The task's holds on its gradient pass to its messages, one each. The versions it was
  // computed on are still those the worker holds: a model that arrives during a task abandons it.
  const GradientPool::Slot slot = s.task;
  ctx_.learner.finish(w, gradients_[slot].values);
  for (std::uint32_t shard = 0; shard < shards(); ++shard) {
    // A compressed gradient puts its encoding on the wire; any other, the whole slice.
    const std::optional<std::uint64_t> payload = ctx_.learner.push_bytes(w, shard);
    const std::uint64_t bytes = payload ? *payload + ctx_.header_bytes : ctx_.shard_bytes[shard];
    const PairState& p = pairs_[pair(w, shard)];
    ctx_.network.send(p.up, bytes, [this, slot, shard, v = p.v_read] {
      on_push_arrived(Push(gradients_, slot, shard, v), shard);
    });
  }
  if (keep_computing_) compute_and_push(w);
}

void ParameterNodeProtocol::abandon_task(std::uint32_t w) {
  WorkerState& s = state_[w];
  ctx_.sim.cancel(s.compute_event);
  ctx_.learner.finish(w, gradients_[s.task].values);
  gradients_.release(s.task, shards());
  s.computing = false;
}

void ParameterNodeProtocol::fail_worker(std::uint32_t w) {
  WorkerState& s = state_[w];
  if (s.failed) return;
  s.failed = true;
  ++failed_;
  if (s.computing) abandon_task(w);
  trace_failure(ctx_, w);
}

void ParameterNodeProtocol::apply(std::uint32_t shard, std::span<const SliceRef> pushes,
                                  std::int64_t round) {
  const SimTime now = ctx_.sim.now();
  slices_.clear();
  for (const SliceRef& push : pushes) {
    ctx_.recorder.gradient_applied({now, push.worker, shard, push.v_read, versions_[shard], round});
    if (const std::vector<double>* values = slice_values(gradients_, push, shard))
      slices_.push_back(values);
  }
  ctx_.learner.apply(shard, slices_);
  ++versions_[shard];
}

}  // namespace sgdsim
