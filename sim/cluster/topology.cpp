#include "sim/cluster/topology.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace sgdsim {

NodeId Topology::add_node(std::string name, NodeRole role) {
  if (by_name_.count(name)) throw std::invalid_argument("duplicate node name '" + name + "'");
  const NodeId id = static_cast<NodeId>(boost::add_vertex(NodeInfo{name, role}, graph_));
  by_name_.emplace(std::move(name), id);
  trees_.clear();
  return id;
}

LinkId Topology::add_link(NodeId a, NodeId b, LinkInfo link) {
  if (a == b) throw std::invalid_argument("a link must join two different nodes");
  const auto id = static_cast<LinkId>(links_.size());
  link.id = id;
  boost::add_edge(a, b, LinkRef{id}, graph_);
  links_.push_back(std::move(link));
  endpoints_.emplace_back(a, b);
  trees_.clear();
  return id;
}

std::int64_t Topology::find(const std::string& name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

const std::vector<std::int64_t>& Topology::tree(NodeId root) {
  auto [it, fresh] = trees_.try_emplace(root);
  if (!fresh) return it->second;
  std::vector<std::int64_t>& parent = it->second;
  parent.assign(node_count(), -1);
  std::vector<bool> seen(node_count(), false);
  std::deque<NodeId> queue{root};
  seen[root] = true;
  while (!queue.empty()) {
    const NodeId u = queue.front();
    queue.pop_front();
    for (auto [e, end] = boost::out_edges(u, graph_); e != end; ++e) {
      const auto v = static_cast<NodeId>(boost::target(*e, graph_));
      if (seen[v]) continue;
      seen[v] = true;
      parent[v] = graph_[*e].id;
      queue.push_back(v);
    }
  }
  return parent;
}

std::vector<Hop> Topology::route(NodeId from, NodeId to) {
  std::vector<Hop> hops;
  if (from == to) return hops;
  const auto other = [this](LinkId l, NodeId n) {
    const auto [a, b] = endpoints(l);
    return a == n ? b : a;
  };
  const auto unreachable = [&] {
    return std::runtime_error("no route from " + node(from).name + " to " + node(to).name);
  };
  // Walk up whichever breadth-first tree is already built; when neither is, root the new tree at
  // the endpoint with more links. Hubs (parameter nodes) then serve every route through them in
  // both directions, so a star of 10,000 workers needs one tree, not 10,000.
  const bool use_from =
      trees_.count(from) ||
      (!trees_.count(to) && boost::out_degree(from, graph_) > boost::out_degree(to, graph_));
  if (use_from) {
    const auto& parent = tree(from);
    for (NodeId n = to; n != from;) {
      if (parent[n] < 0) throw unreachable();
      const auto l = static_cast<LinkId>(parent[n]);
      hops.push_back({l, n});
      n = other(l, n);
    }
    std::reverse(hops.begin(), hops.end());
    return hops;
  }
  const auto& parent = tree(to);
  for (NodeId n = from; n != to;) {
    if (parent[n] < 0) throw unreachable();
    const auto l = static_cast<LinkId>(parent[n]);
    n = other(l, n);
    hops.push_back({l, n});
  }
  return hops;
}

}  // namespace sgdsim
