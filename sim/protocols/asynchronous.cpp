// Asynchronous updates through parameter nodes: a push is applied the moment it arrives, to
// whatever version the node holds then, so a gradient's staleness is the number of updates other
// workers applied while it was being computed and sent.

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class Asynchronous final : public ParameterNodeProtocol {
 public:
  explicit Asynchronous(ProtocolContext ctx)
      : ParameterNodeProtocol(std::move(ctx)), shards_applied_(workers(), 0) {}

  void start() override {
    for (std::uint32_t shard = 0; shard < shards(); ++shard)
      for (std::uint32_t w = 0; w < workers(); ++w) send_model(shard, w);
  }

 private:
  void on_push_arrived(Push push, std::uint32_t shard) override {
    const std::uint32_t w = push.worker();
    apply(shard, std::span(&push.ref(), 1), -1);
    // A gradient is one model update once every shard has applied its slice. A worker pushes
    // again only after every shard has answered, so one counter per worker suffices.
    if (++shards_applied_[w] == shards()) {
      shards_applied_[w] = 0;
      ctx_.recorder.model_updated(ctx_.sim.now());
    }
    send_model(shard, w);
  }

  std::vector<std::uint32_t> shards_applied_;
};

}  // namespace

std::unique_ptr<Protocol> make_asynchronous(ProtocolContext ctx) {
  return std::make_unique<Asynchronous>(std::move(ctx));
}

}  // namespace sgdsim
