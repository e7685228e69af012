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
  const LinkInfo link{s.latency, s.bandwidth, 0};
  if (s.links.empty())
    return s.algorithm == "all_reduce" ? Cluster::ring(s.workers, link)
                                       : Cluster::star(s.workers, s.parameter_nodes, link);
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
                (s.parameter_nodes ? ", ps0..ps" + std::to_string(s.parameter_nodes - 1) : "") +
                (s.switches ? ", sw0..sw" + std::to_string(s.switches - 1) : "") + ")");
    if (a == b) throw ScenarioError(s.file, link.mark, "a link must join two different nodes");
    t.add_link(static_cast<NodeId>(a), static_cast<NodeId>(b), {link.latency, link.bandwidth, 0});
  }
  // Every pair that will talk must be joined: worker and parameter node, or ring neighbours.
  const std::vector<NodeId> workers = role_nodes(t, NodeRole::kWorker);
  std::vector<std::pair<NodeId, NodeId>> talk;
  for (NodeId ps : role_nodes(t, NodeRole::kParameterNode))
    for (NodeId w : workers) talk.emplace_back(w, ps);
  if (s.algorithm == "all_reduce")
    for (std::size_t i = 0; i < workers.size(); ++i)
      talk.emplace_back(workers[i], workers[(i + 1) % workers.size()]);
  for (const auto& [from, to] : talk) {
    try {
      t.route(from, to);
    } catch (const std::runtime_error& e) {
      throw ScenarioError(s.file, s.links.front().mark, std::string("network.links: ") + e.what());
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
