#include "sim/cluster/network.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace sgdsim {

struct Network::InFlight {
  PathId path;  ///< An index, not a pointer: paths_ may grow while the message travels.
  std::size_t next = 0;
  NodeId at;
  std::uint64_t bytes;
  EventAction on_arrival;
};

Network::Network(Simulator& sim, Topology& topology, std::uint64_t seed, TraceWriter* trace)
    : sim_(sim),
      topology_(topology),
      trace_(trace),
      tx_free_(topology.node_count(), 0),
      rx_free_(topology.node_count(), 0),
      last_arrival_(2 * topology.link_count(), 0),
      latency_rng_(topology.link_count()),
      fixed_latency_(topology.link_count(), 0),
      bandwidth_(topology.link_count(), 0.0),
      link_bytes_(topology.link_count(), 0) {
  // Per-link constants are unpacked into flat arrays: the hot path then never touches LinkInfo.
  for (LinkId l = 0; l < topology.link_count(); ++l) {
    bandwidth_[l] = topology.link(l).bandwidth;
    const LatencyDistribution& latency = topology.link(l).latency;
    if (latency.kind() == LatencyKind::kConstant)
      fixed_latency_[l] = from_seconds(latency.mean());
    else
      latency_rng_[l] = std::make_unique<RandomStream>(seed, l, "latency");
  }
}

Network::PathId Network::path(NodeId from, NodeId to) {
  const std::uint64_t key = (static_cast<std::uint64_t>(from) << 32) | to;
  const auto [it, fresh] = path_ids_.try_emplace(key, static_cast<PathId>(paths_.size()));
  if (fresh) paths_.push_back({from, topology_.route(from, to)});
  return it->second;
}

SimTime Network::book_hop(NodeId at, const Hop& hop, std::uint64_t bytes) {
  const SimTime latency = latency_rng_[hop.link] ? topology_.link(hop.link).latency.sample(
                                                       *latency_rng_[hop.link], hop.link)
                                                 : fixed_latency_[hop.link];
  const double bandwidth = bandwidth_[hop.link];
  const SimTime transfer =
      std::isinf(bandwidth) ? 0 : from_seconds(static_cast<double>(bytes) / bandwidth);
  // The transmitter must be idle, and the receiver idle by the time the first byte lands.
  const SimTime start = std::max({sim_.now(), tx_free_[at], rx_free_[hop.to] - latency});
  tx_free_[at] = start + transfer;
  rx_free_[hop.to] = start + latency + transfer;
  // A random latency could let a later message overtake an earlier one; links deliver in order.
  SimTime& last = last_arrival_[2 * hop.link + (at < hop.to ? 0 : 1)];
  const SimTime arrival = std::max(start + latency + transfer, last);
  last = arrival;
  link_bytes_[hop.link] += bytes;
  if (trace_ && transfer > 0) {
    const std::string args =
        fmt::format("\"bytes\":{},\"to\":\"{}\"", bytes, topology_.node(hop.to).name);
    trace_->span(at, "send", start, transfer, args);
    trace_->span(hop.to, "receive", arrival - transfer, transfer, args);
  }
  return arrival;
}

void Network::send(PathId path, std::uint64_t bytes, EventAction on_arrival) {
  ++messages_;
  bytes_sent_ += bytes;
  const NodeId from = paths_[path].from;
  const std::vector<Hop>& route = paths_[path].hops;
  if (route.size() <= 1) {
    // The common case (a star): one hop, one event, no allocation.
    const SimTime arrival = route.empty() ? sim_.now() : book_hop(from, route.front(), bytes);
    sim_.schedule_at(arrival, std::move(on_arrival));
    return;
  }
  continue_route(std::make_shared<InFlight>(InFlight{path, 0, from, bytes, std::move(on_arrival)}));
}

void Network::continue_route(std::shared_ptr<InFlight> msg) {
  // Store and forward: each hop is booked when the message reaches that node, so queues at
  // intermediate nodes see messages in their true arrival order.
  const std::vector<Hop>& hops = paths_[msg->path].hops;
  const Hop& hop = hops[msg->next];
  const SimTime arrival = book_hop(msg->at, hop, msg->bytes);
  msg->at = hop.to;
  ++msg->next;
  if (msg->next == hops.size()) {
    sim_.schedule_at(arrival, std::move(msg->on_arrival));
  } else {
    sim_.schedule_at(arrival,
                     [this, msg = std::move(msg)]() mutable { continue_route(std::move(msg)); });
  }
}

}  // namespace sgdsim
