#pragma once
// The machines of a simulated cluster: workers with their compute-time distribution and speed,
// parameter nodes, and the topology that joins them.

#include <cstdint>
#include <vector>

#include "sim/cluster/latency.hpp"
#include "sim/cluster/topology.hpp"
#include "sim/engine/random.hpp"

namespace sgdsim {

/// Workers, parameter nodes and their graph. Worker i draws its compute times from its own stream
/// (seed, i, "compute"), so adding a worker never changes what the others draw.
class Cluster {
 public:
  /// `factors[i]` multiplies worker i's compute times (2 = twice as slow); empty means all 1.
  Cluster(Topology topology, std::vector<NodeId> workers, std::vector<NodeId> parameter_nodes,
          LatencyDistribution compute, std::vector<double> factors, std::uint64_t seed);

  /// A star: every worker linked directly to every parameter node, all links alike.
  static Topology star(std::uint32_t workers, std::uint32_t parameter_nodes, const LinkInfo& link);

  /// A ring: worker i linked to worker i + 1, and the last to the first; no parameter node.
  static Topology ring(std::uint32_t workers, const LinkInfo& link);

  std::uint32_t worker_count() const { return static_cast<std::uint32_t>(workers_.size()); }
  std::uint32_t parameter_node_count() const {
    return static_cast<std::uint32_t>(parameter_nodes_.size());
  }
  NodeId worker_node(std::uint32_t w) const { return workers_[w]; }
  NodeId parameter_node(std::uint32_t s) const { return parameter_nodes_[s]; }
  Topology& topology() { return topology_; }
  const Topology& topology() const { return topology_; }
  const LatencyDistribution& compute_distribution() const { return compute_; }
  double factor(std::uint32_t w) const { return compute_state_[w].factor; }

  /// Draws the duration of a task of `work` units (1 = the reference batch) on worker `w`.
  SimTime compute_time(std::uint32_t w, double work);

 private:
  Topology topology_;
  std::vector<NodeId> workers_, parameter_nodes_;
  LatencyDistribution compute_;
  /// What drawing a worker's compute time touches, together in one small record.
  struct WorkerCompute {
    RandomStream rng;
    double factor;
  };
  std::vector<WorkerCompute> compute_state_;
};

}  // namespace sgdsim
