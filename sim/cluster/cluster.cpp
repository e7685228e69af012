#include "sim/cluster/cluster.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include <string>

namespace sgdsim {

Cluster::Cluster(Topology topology, std::vector<NodeId> workers,
                 std::vector<NodeId> parameter_nodes, LatencyDistribution compute,
                 std::vector<double> factors, std::uint64_t seed)
    : topology_(std::move(topology)),
      workers_(std::move(workers)),
      parameter_nodes_(std::move(parameter_nodes)),
      compute_(std::move(compute)) {
  if (factors.empty()) factors.assign(workers_.size(), 1.0);
  if (factors.size() != workers_.size())
    throw std::invalid_argument("one speed factor per worker is needed");
  compute_state_.reserve(workers_.size());
  for (std::uint32_t w = 0; w < workers_.size(); ++w)
    compute_state_.push_back({RandomStream(seed, w, "compute"), factors[w]});
}

Topology Cluster::star(std::uint32_t workers, std::uint32_t parameter_nodes, const LinkInfo& link) {
  Topology t;
  for (std::uint32_t s = 0; s < parameter_nodes; ++s)
    t.add_node(fmt::format("ps{}", s), NodeRole::kParameterNode);
  for (std::uint32_t w = 0; w < workers; ++w) {
    const NodeId n = t.add_node(fmt::format("w{}", w), NodeRole::kWorker);
    for (NodeId s = 0; s < parameter_nodes; ++s) t.add_link(n, s, link);
  }
  return t;
}

Topology Cluster::ring(std::uint32_t workers, const LinkInfo& link) {
  Topology t;
  for (std::uint32_t w = 0; w < workers; ++w) t.add_node(fmt::format("w{}", w), NodeRole::kWorker);
  // Two workers need one link, not two; one needs none.
  const std::uint32_t links = workers > 2 ? workers : workers - 1;
  for (NodeId w = 0; w < links; ++w) t.add_link(w, (w + 1) % workers, link);
  return t;
}

SimTime Cluster::compute_time(std::uint32_t w, double work) {
  WorkerCompute& c = compute_state_[w];
  return compute_.sample(c.rng, w, c.factor * work);
}

}  // namespace sgdsim
