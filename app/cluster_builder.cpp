#include "app/cluster_builder.hpp"

#include <fmt/format.h>

#include <string>

namespace sgdsim {
namespace {

std::vector<NodeId> role_nodes(const Topology& t, NodeRole role) {
  std::vector<NodeId> nodes;
  for (NodeId n = 0; n < t.node_count(); ++n)
    if (t.node(n).role == role) nodes.push_back(n);
  return nodes;
}

}  // namespace

Topology build_topology(const Scenario& s) {
  if (s.links.empty())
    return Cluster::star(s.workers, s.parameter_nodes, LinkInfo{s.latency, s.bandwidth, 0});
  Topology t;
  for (std::uint32_t i = 0; i < s.parameter_nodes; ++i)
    t.add_node(fmt::format("ps{}", i), NodeRole::kParameterNode);
  for (std::uint32_t i = 0; i < s.workers; ++i)
    t.add_node(fmt::format("w{}", i), NodeRole::kWorker);
  for (std::uint32_t i = 0; i < s.switches; ++i)
    t.add_node(fmt::format("sw{}", i), NodeRole::kSwitch);
  for (const LinkSpec& link : s.links) {
    const std::int64_t a = t.find(link.a), b = t.find(link.b);
    for (const auto& [id, name] : {std::pair{a, link.a}, std::pair{b, link.b}})
      if (id < 0)
        throw ScenarioError(
            s.file, link.mark,
            "unknown node '" + name + "' (this cluster has w0..w" + std::to_string(s.workers - 1) +
                ", ps0..ps" + std::to_string(s.parameter_nodes - 1) +
                (s.switches ? ", sw0..sw" + std::to_string(s.switches - 1) : "") + ")");
    if (a == b) throw ScenarioError(s.file, link.mark, "a link must join two different nodes");
    t.add_link(static_cast<NodeId>(a), static_cast<NodeId>(b), {link.latency, link.bandwidth, 0});
  }
  for (NodeId ps : role_nodes(t, NodeRole::kParameterNode))
    for (NodeId w : role_nodes(t, NodeRole::kWorker)) {
      try {
        t.route(w, ps);
      } catch (const std::runtime_error& e) {
        throw ScenarioError(s.file, s.links.front().mark,
                            std::string("network.links: ") + e.what());
      }
    }
  return t;
}

Cluster build_cluster(const Scenario& s) {
  Topology t = build_topology(s);
  std::vector<NodeId> workers = role_nodes(t, NodeRole::kWorker);
  std::vector<NodeId> params = role_nodes(t, NodeRole::kParameterNode);
  return Cluster(std::move(t), std::move(workers), std::move(params), s.compute_time,
                 s.worker_factors, s.seed);
}

}  // namespace sgdsim
