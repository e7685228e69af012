#include "sim/cluster/network.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace sgdsim {

struct Network::InFlight {
  Route route;
  std::size_t next = 0;
  NodeId at;
  std::uint64_t bytes;
  EventAction on_arrival;
};

Network::Network(Simulator& sim, Topology& topology, std::uint64_t seed, TraceWriter* trace)
    : sim_(sim),
      topology_(topology),
      trace_(trace),
      interfaces_(topology.node_count()),
      links_(topology.link_count()) {
  for (LinkId l = 0; l < topology.link_count(); ++l) {
    const LinkInfo& info = topology.link(l);
    links_[l].bandwidth = info.bandwidth;
    if (info.latency.kind() == LatencyKind::kConstant) {
      links_[l].fixed_latency = from_seconds(info.latency.mean());
    } else {
      latency_rng_.push_back(std::make_unique<RandomStream>(seed, l, "latency"));
      links_[l].rng = latency_rng_.back().get();
    }
  }
}

Network::Route Network::route(NodeId from, NodeId to) {
  const std::uint64_t key = (static_cast<std::uint64_t>(from) << 32) | to;
  const auto [it, fresh] = routes_.try_emplace(key);
  if (fresh) {
    const std::vector<Hop> hops = topology_.route(from, to);
    it->second = {from, static_cast<std::uint32_t>(hops.size()),
                  static_cast<std::uint32_t>(hops_.size()),
                  hops.empty() ? Hop{0, to} : hops.front()};
    hops_.insert(hops_.end(), hops.begin(), hops.end());
  }
  return it->second;
}

SimTime Network::book_hop(NodeId at, const Hop& hop, std::uint64_t bytes) {
  LinkState& link = links_[hop.link];
  const SimTime latency =
      link.rng ? topology_.link(hop.link).latency.sample(*link.rng, hop.link) : link.fixed_latency;
  const SimTime transfer =
      std::isinf(link.bandwidth) ? 0 : from_seconds(static_cast<double>(bytes) / link.bandwidth);
  // The transmitter must be idle, and the receiver idle by the time the first byte lands.
  Interface& sender = interfaces_[at];
  Interface& receiver = interfaces_[hop.to];
  const SimTime start = std::max({sim_.now(), sender.tx_free, receiver.rx_free - latency});
  // A heavy-tailed latency can be kTimeNever: the sums saturate there instead of overflowing.
  const SimTime landed = saturating_add(saturating_add(start, latency), transfer);
  sender.tx_free = saturating_add(start, transfer);
  receiver.rx_free = landed;
  // A random latency could let a later message overtake an earlier one; links deliver in order.
  SimTime& last = link.last_arrival[at < hop.to ? 0 : 1];
  const SimTime arrival = std::max(landed, last);
  last = arrival;
  link.bytes += bytes;
  if (trace_ && transfer > 0) {
    const std::string args =
        fmt::format("\"bytes\":{},\"to\":\"{}\"", bytes, topology_.node(hop.to).name);
    trace_->span(at, "send", start, transfer, args);
    trace_->span(hop.to, "receive", arrival - transfer, transfer, args);
  }
  return arrival;
}

void Network::send(const Route& p, std::uint64_t bytes, EventAction&& on_arrival) {
  ++messages_;
  bytes_sent_ += bytes;
  if (p.hop_count <= 1) {
    // The common case (a star): one hop, one event, no allocation.
    const SimTime arrival = p.hop_count == 0 ? sim_.now() : book_hop(p.from, p.first, bytes);
    sim_.schedule_at(arrival, std::move(on_arrival));
    return;
  }
  continue_route(std::make_shared<InFlight>(InFlight{p, 0, p.from, bytes, std::move(on_arrival)}));
}

void Network::continue_route(std::shared_ptr<InFlight> msg) {
  // Store and forward: each hop is booked when the message reaches that node, so queues at
  // intermediate nodes see messages in their true arrival order.
  const Hop hop = hops_[msg->route.offset + msg->next];
  const SimTime arrival = book_hop(msg->at, hop, msg->bytes);
  msg->at = hop.to;
  ++msg->next;
  if (msg->next == msg->route.hop_count) {
    sim_.schedule_at(arrival, std::move(msg->on_arrival));
  } else {
    sim_.schedule_at(arrival,
                     [this, msg = std::move(msg)]() mutable { continue_route(std::move(msg)); });
  }
}

}  // namespace sgdsim
