#include "bench/async_run.hpp"

#include <limits>

#include "sim/cluster/network.hpp"
#include "sim/protocols/protocol.hpp"

namespace sgdsim::bench {

void simulate_async(Learner& learner, std::uint32_t workers, double latency,
                    std::uint64_t updates) {
  Simulator sim;
  const LinkInfo link{LatencyDistribution::make(LatencyKind::kConstant, {{"value", latency}}),
                      std::numeric_limits<double>::infinity(), 0};
  Topology topology = Cluster::star(workers, 1, link);
  std::vector<NodeId> ps{0}, ws;
  for (NodeId n = 1; n < topology.node_count(); ++n) ws.push_back(n);
  Cluster cluster(std::move(topology), ws, ps,
                  LatencyDistribution::make(LatencyKind::kExponential, {{"mean", 1e-3}}), {}, 1);
  Network network(sim, cluster.topology(), 1, nullptr);
  Recorder recorder({});
  ProtocolContext ctx{sim, cluster, network, recorder, nullptr, learner, {0}, 1.0};
  auto protocol = make_asynchronous(ctx);
  protocol->start();
  StopCondition stop;
  stop.predicate = [&] { return recorder.updates() >= updates; };
  sim.run(stop);
}

}  // namespace sgdsim::bench
