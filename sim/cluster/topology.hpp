#pragma once
// The cluster's graph of nodes and links (Boost.Graph), and routes through it.

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/cluster/latency.hpp"

namespace sgdsim {

/// Index of a node in the topology (a Boost.Graph vertex).
using NodeId = std::uint32_t;
/// Index of a link in the topology, in the order links were added.
using LinkId = std::uint32_t;

/// What a node does.
enum class NodeRole { kWorker, kParameterNode, kSwitch };

/// A node of the cluster graph.
struct NodeInfo {
  std::string name;  ///< "w3", "ps0", "sw1", ...
  NodeRole role = NodeRole::kSwitch;
};

/// A link: a propagation delay drawn per message and a bandwidth shared by both directions' queues.
struct LinkInfo {
  LatencyDistribution latency;
  double bandwidth = 0.0;  ///< Bytes per second; infinity means transfers take no time.
  LinkId id = 0;
};

/// The property of a graph edge: which link it is.
struct LinkRef {
  LinkId id = 0;
};

/// One step of a route: the link taken and the node it leads to.
struct Hop {
  LinkId link;
  NodeId to;
};

/// An undirected graph of workers, parameter nodes and switches. Routes are shortest in hops,
/// ties broken by the order links were added, so they never depend on memory layout.
class Topology {
 public:
  /// Edges carry only their LinkId; link data live in a plain vector, so copies and moves of a
  /// Topology never leave a dangling edge descriptor behind.
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, NodeInfo, LinkRef>;

  /// Adds a node and returns its id; names must be unique.
  NodeId add_node(std::string name, NodeRole role);

  /// Links two existing nodes.
  LinkId add_link(NodeId a, NodeId b, LinkInfo link);

  /// The node with this name, or -1 when there is none.
  std::int64_t find(const std::string& name) const;

  /// Number of nodes and links.
  std::size_t node_count() const { return boost::num_vertices(graph_); }
  std::size_t link_count() const { return links_.size(); }

  /// A node's description.
  const NodeInfo& node(NodeId n) const { return graph_[n]; }

  /// A link's description and endpoints.
  const LinkInfo& link(LinkId l) const { return links_[l]; }
  std::pair<NodeId, NodeId> endpoints(LinkId l) const { return endpoints_[l]; }

  /// The route from `from` to `to` (empty when from == to). Throws std::runtime_error naming both
  /// nodes when they are not connected.
  std::vector<Hop> route(NodeId from, NodeId to);

 private:
  /// Parent link of every node in a breadth-first tree rooted at `root` (-1: unreached or root).
  const std::vector<std::int64_t>& tree(NodeId root);

  Graph graph_;
  std::vector<LinkInfo> links_;
  std::vector<std::pair<NodeId, NodeId>> endpoints_;
  std::unordered_map<std::string, NodeId> by_name_;
  std::unordered_map<NodeId, std::vector<std::int64_t>> trees_;
};

}  // namespace sgdsim
