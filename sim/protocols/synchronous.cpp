// Synchronous rounds through parameter nodes: the round ends when the slowest worker's gradient
// has arrived, so its length is the maximum of the workers' times (H_P / mu for Exp(mu) compute).

#include <fmt/format.h>

#include <numeric>

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class Synchronous final : public ParameterNodeProtocol {
 public:
  explicit Synchronous(ProtocolContext ctx)
      : ParameterNodeProtocol(std::move(ctx)), received_(shards(), 0), order_(workers()) {
    // Gradients are combined in worker order, never arrival order, so the sum is reproducible.
    std::iota(order_.begin(), order_.end(), 0u);
  }

  void start() override { broadcast_all(); }

 private:
  void broadcast_all() {
    for (std::uint32_t shard = 0; shard < shards(); ++shard) broadcast(shard);
  }
  void broadcast(std::uint32_t shard) {
    for (std::uint32_t w = 0; w < workers(); ++w) send_model(shard, w);
  }

  void on_push_arrived(std::uint32_t, std::uint32_t shard) override {
    if (++received_[shard] < workers()) return;
    received_[shard] = 0;
    apply(shard, order_, static_cast<std::int64_t>(round_));
    // Each shard starts the next round as soon as it has applied; workers wait for all shards.
    broadcast(shard);
    if (++shards_done_ < shards()) return;
    shards_done_ = 0;
    const SimTime now = ctx_.sim.now();
    ctx_.recorder.model_updated(now);
    ctx_.recorder.round_closed({round_, round_start_, now, workers(), 0});
    if (ctx_.trace) ctx_.trace->checkpoint("round end", now, fmt::format("\"round\":{}", round_));
    ++round_;
    round_start_ = now;
  }

  std::vector<std::uint32_t> received_;
  std::vector<std::uint32_t> order_;
  std::uint32_t shards_done_ = 0;
  std::uint64_t round_ = 0;
  SimTime round_start_ = 0;
};

}  // namespace

std::unique_ptr<Protocol> make_synchronous(ProtocolContext ctx) {
  return std::make_unique<Synchronous>(std::move(ctx));
}

}  // namespace sgdsim
