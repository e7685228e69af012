#pragma once
// Turns a scenario's cluster and network sections into a Topology and a Cluster.

#include "app/scenario.hpp"
#include "sim/cluster/cluster.hpp"

namespace sgdsim {

/// The scenario's graph: the default star, or its `network.links`. Throws ScenarioError at the
/// link at fault for unknown node names, and at `network.links` when a worker cannot reach a
/// parameter node.
Topology build_topology(const Scenario& s);

/// The scenario's cluster, with its topology, compute distribution and worker factors.
Cluster build_cluster(const Scenario& s);

}  // namespace sgdsim
