// Synchronous rounds through parameter nodes, waiting for the first K of P gradients (K-sync,
// Dutta et al. 2018; with P = N + b and K = N, synchronous SGD with b backup workers, Chen et al.
// 2016; with K = P, plain synchronous SGD). A round ends when the K-th gradient computed on the
// current model arrives, so with Exp(mu) compute its mean length is (H_P - H_{P-K}) / mu. The
// P - K gradients not used are dropped: workers still computing are preempted by the new model,
// and pushes still on the wire are discarded when they arrive.
// K-batch-sync (same paper): a worker that has pushed computes another batch on the same model at
// once, so the K gradients may come from fewer than K workers and, with Exp(mu) compute, a round
// lasts K / (P mu) on average (the K-th arrival of P merged Poisson streams).

#include <fmt/format.h>

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class Synchronous final : public ParameterNodeProtocol {
 public:
  Synchronous(ProtocolContext ctx, RoundSettings settings)
      : ParameterNodeProtocol(std::move(ctx)),
        k_(settings.wait_for == 0 ? workers() : settings.wait_for),
        timeout_(settings.timeout),
        pending_(shards()),
        timeout_event_(shards()) {
    keep_computing_ = settings.batches;
  }

  void start() override { broadcast_all(); }

 private:
  void broadcast_all() {
    for (std::uint32_t shard = 0; shard < shards(); ++shard) broadcast(shard);
  }
  void broadcast(std::uint32_t shard) {
    for (std::uint32_t w = 0; w < workers(); ++w) send_model(shard, w);
    if (timeout_ > 0) arm_timeout(shard);
  }
  void arm_timeout(std::uint32_t shard) {
    timeout_event_[shard] = ctx_.sim.schedule_in(timeout_, [this, shard] { on_timeout(shard); });
  }
  void on_timeout(std::uint32_t shard) {
    // A round that timed out closes with what it has; with nothing yet it waits once more,
    // unless no worker is left to send anything.
    if (!pending_[shard].empty())
      close_shard(shard);
    else if (!all_failed())
      arm_timeout(shard);
  }

  void on_push_arrived(Push push, std::uint32_t shard) override {
    // A gradient computed on an older model belongs to a round already closed: dropped (it was
    // counted when its round closed).
    if (push.v_read() != version(shard)) return;
    pending_[shard].add(std::move(push));
    if (pending_[shard].size() >= k_) close_shard(shard);
  }

  void close_shard(std::uint32_t shard) {
    Pushes& pending = pending_[shard];
    ctx_.sim.cancel(timeout_event_[shard]);
    // Gradients are combined in worker order, never arrival order, so the sum is reproducible;
    // a worker's several batches (K-batch-sync) in the order it computed them.
    pending.sort();
    apply(shard, pending.refs(), static_cast<std::int64_t>(round_));
    if (shard == 0) {
      contributors_ = static_cast<std::uint32_t>(pending.size());
      // Workers whose gradient is not in the update (K-batch-sync: some gave several).
      absent_ = workers();
      for (std::size_t i = 0; i < pending.size(); ++i)
        if (i == 0 || pending[i].worker != pending[i - 1].worker) --absent_;
    }
    pending.clear();
    // Each shard starts the next round as soon as it has applied; workers wait for all shards.
    broadcast(shard);
    if (++shards_done_ < shards()) return;
    shards_done_ = 0;
    const SimTime now = ctx_.sim.now();
    ctx_.recorder.model_updated(now);
    ctx_.recorder.round_closed({round_, round_start_, now, contributors_, absent_});
    if (ctx_.trace) ctx_.trace->checkpoint("round end", now, fmt::format("\"round\":{}", round_));
    ++round_;
    round_start_ = now;
  }

  std::uint32_t k_;
  SimTime timeout_;                     ///< 0: a round waits as long as it takes.
  std::vector<Pushes> pending_;         ///< Per shard: this round's gradients so far.
  std::vector<EventId> timeout_event_;  ///< Per shard.
  std::uint32_t shards_done_ = 0;
  std::uint32_t contributors_ = 0;  ///< Gradients in shard 0's last update.
  std::uint32_t absent_ = 0;        ///< Workers with no gradient in it.
  std::uint64_t round_ = 0;
  SimTime round_start_ = 0;
};

}  // namespace

std::unique_ptr<Protocol> make_synchronous(ProtocolContext ctx, RoundSettings settings) {
  return std::make_unique<Synchronous>(std::move(ctx), settings);
}

}  // namespace sgdsim
