#pragma once
// Messages over the topology's links: latency + bytes / bandwidth per hop, and one message at a
// time through each node's interface, first come first served, so many workers pushing to one
// parameter node queue up at it (incast).

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "sim/cluster/topology.hpp"
#include "sim/engine/simulator.hpp"
#include "sim/observe/trace_writer.hpp"

namespace sgdsim {

/// Carries messages between nodes in simulated time.
///
/// Each node has a full-duplex interface: a transmit queue and a receive queue, each busy with one
/// message at a time. A hop over link (u, v) starts when u's transmitter is free and v's receiver
/// will be free when the first byte lands, lasts bytes / bandwidth, and lands latency later.
/// Queues are served in the order sends were requested, which the event order makes deterministic.
class Network {
 public:
  /// `trace` may be null. Link latencies draw from streams (seed, link, "latency").
  Network(Simulator& sim, Topology& topology, std::uint64_t seed, TraceWriter* trace);

  /// A route between two nodes, found once and kept by whoever sends along it: a 20-byte value
  /// with the first hop inline (most routes, a star's, have one); the others stay in the Network.
  struct Route {
    NodeId from = 0;
    std::uint32_t hop_count = 0;
    std::uint32_t offset = 0;  ///< Where the route's hops start in the Network's hop table.
    Hop first{0, 0};
  };

  /// The route from `from` to `to` (found on first use, then remembered).
  Route route(NodeId from, NodeId to);

  /// Sends `bytes` along `route`; `on_arrival` runs when the last byte has arrived.
  void send(const Route& route, std::uint64_t bytes, EventAction&& on_arrival);

  /// Sends `bytes` from `from` to `to`; `on_arrival` runs when the last byte has arrived.
  void send(NodeId from, NodeId to, std::uint64_t bytes, EventAction&& on_arrival) {
    send(route(from, to), bytes, std::move(on_arrival));
  }

  /// Bytes that crossed link `l`, summed over both directions.
  std::uint64_t link_bytes(LinkId l) const { return links_[l].bytes; }

  /// Bytes sent in all, counted once per message (not per hop), and messages sent.
  std::uint64_t bytes_sent() const { return bytes_sent_; }
  std::uint64_t messages_sent() const { return messages_; }

 private:
  struct InFlight;
  /// Books the hop over `hop.link` from node `at` starting no earlier than now; returns arrival.
  SimTime book_hop(NodeId at, const Hop& hop, std::uint64_t bytes);
  void continue_route(std::shared_ptr<InFlight> msg);
  /// Everything a hop touches on its link, together, so a message costs one cache line per link.
  struct LinkState {
    SimTime fixed_latency = 0;         ///< Used when `rng` is null (a constant latency).
    double bandwidth = 0.0;            ///< Bytes per second.
    SimTime last_arrival[2] = {0, 0};  ///< Per direction: keeps links first in, first out.
    std::uint64_t bytes = 0;
    RandomStream* rng = nullptr;  ///< The link's latency stream, only for random latencies.
  };
  /// A node's interface: when its transmitter and its receiver are next free.
  struct Interface {
    SimTime tx_free = 0;
    SimTime rx_free = 0;
  };

  Simulator& sim_;
  Topology& topology_;
  TraceWriter* trace_;
  std::vector<Interface> interfaces_;  ///< Per node.
  std::vector<LinkState> links_;
  std::vector<std::unique_ptr<RandomStream>> latency_rng_;  ///< Owns LinkState::rng.
  std::vector<Hop> hops_;  ///< The hops of every route found, each route's contiguous.
  std::unordered_map<std::uint64_t, Route> routes_;
  std::uint64_t bytes_sent_ = 0, messages_ = 0;
};

}  // namespace sgdsim
