// K-async and K-batch-async SGD (Dutta et al. 2018): a parameter node waits for any K gradients,
// stale or fresh, and applies their mean as one update. K = 1 with batches is asynchronous SGD;
// K-async (no batches) lets the workers left out go on computing on the models they hold, so
// their gradients are staler than with plain asynchronous SGD but each update averages K of them.

#include <algorithm>

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class KAsync final : public ParameterNodeProtocol {
 public:
  KAsync(ProtocolContext ctx, std::uint32_t k, bool batches)
      : ParameterNodeProtocol(std::move(ctx)),
        k_(k),
        batches_(batches),
        pending_(shards()),
        shards_done_(shards(), 0) {}

  void start() override {
    for (std::uint32_t shard = 0; shard < shards(); ++shard)
      for (std::uint32_t w = 0; w < workers(); ++w) send_model(shard, w);
  }

 private:
  void on_push_arrived(Push push, std::uint32_t shard) override {
    const std::uint32_t pusher = push.worker();
    Pushes& pending = pending_[shard];
    pending.add(std::move(push));
    const bool full = pending.size() >= k_;
    if (full) {
      // Combined in worker order (a worker's several gradients in the order it computed them),
      // so the mean does not depend on the order of arrival.
      pending.sort();
      apply(shard, pending.refs(), -1);
      // A model update is complete when every shard has applied its k-th gradient of it; shards
      // count their own updates, and the slowest shard decides.
      if (++shards_done_[shard] == *std::min_element(shards_done_.begin(), shards_done_.end()))
        ctx_.recorder.model_updated(ctx_.sim.now());
    }
    if (batches_) {
      send_model(shard, pusher);
    } else if (full) {
      for (const SliceRef& p : pending.refs()) send_model(shard, p.worker);
    }
    if (full) pending.clear();
  }

  std::uint32_t k_;
  bool batches_;
  std::vector<Pushes> pending_;             ///< Per shard: gradients since its last update.
  std::vector<std::uint64_t> shards_done_;  ///< Per shard: updates applied.
};

}  // namespace

std::unique_ptr<Protocol> make_k_async(ProtocolContext ctx, std::uint32_t k, bool batches) {
  return std::make_unique<KAsync>(std::move(ctx), k, batches);
}

}  // namespace sgdsim
