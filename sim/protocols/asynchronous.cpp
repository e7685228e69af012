// Asynchronous updates through parameter nodes: a push is applied the moment it arrives, to
// whatever version the node holds then, so a gradient's staleness is the number of updates other
// workers applied while it was being computed and sent.

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class Asynchronous final : public ParameterNodeProtocol {
 public:
  explicit Asynchronous(ProtocolContext ctx) : ParameterNodeProtocol(std::move(ctx)) {}

  void start() override {
    for (std::uint32_t shard = 0; shard < shards(); ++shard)
      for (std::uint32_t w = 0; w < workers(); ++w) send_model(shard, w);
  }

 private:
  void on_push_arrived(std::uint32_t w, std::uint32_t shard) override {
    const std::uint32_t pusher[] = {w};
    apply(shard, pusher, -1);
    send_model(shard, w);
  }
};

}  // namespace

std::unique_ptr<Protocol> make_asynchronous(ProtocolContext ctx) {
  return std::make_unique<Asynchronous>(std::move(ctx));
}

}  // namespace sgdsim
