#pragma once
// What every protocol is given, and the machinery shared by protocols in which workers pull the
// model from parameter nodes and push gradients back.

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/cluster/cluster.hpp"
#include "sim/cluster/network.hpp"
#include "sim/engine/simulator.hpp"
#include "sim/observe/recorder.hpp"
#include "sim/observe/trace_writer.hpp"
#include "sim/protocols/learner.hpp"

namespace sgdsim {

/// The world a protocol acts in. All references outlive the protocol.
struct ProtocolContext {
  Simulator& sim;
  Cluster& cluster;
  Network& network;
  Recorder& recorder;
  TraceWriter* trace;  ///< May be null.
  Learner& learner;
  std::vector<std::uint64_t> shard_bytes;  ///< Bytes of each shard's slice on the wire.
  double work = 1.0;                       ///< Work per task, in reference batches.
  std::uint64_t header_bytes = 0;          ///< Added to a compressed push's payload.
};

/// A synchronisation strategy: it schedules the first events, and its handlers schedule the rest.
class Protocol {
 public:
  virtual ~Protocol() = default;
  /// Schedules the protocol's first events at time 0.
  virtual void start() = 0;

  /// Worker `w` fails now: its task in progress is lost and it never computes again. What the
  /// protocol does about it is the lesson (a synchronous round waits; K-sync goes on).
  virtual void fail_worker(std::uint32_t w) = 0;
};

/// Workers pull every shard, compute once they hold all of them, and push a slice to each shard.
/// Subclasses decide what a parameter node does with a push.
class ParameterNodeProtocol : public Protocol {
 protected:
  /// A gradient that reached a parameter node: who computed it, on which version of the shard.
  struct Push {
    std::uint32_t worker;
    std::uint64_t v_read;
  };

  explicit ParameterNodeProtocol(ProtocolContext ctx);

  /// A parameter node received a gradient slice.
  virtual void on_push_arrived(const Push& push, std::uint32_t shard) = 0;

  /// Sends shard `shard`'s current parameters and version to worker `w`.
  void send_model(std::uint32_t shard, std::uint32_t w);

  /// Applies `pushes` (in that order) to `shard` as one update and records each gradient.
  /// Subclasses tell the recorder when a whole model update is complete.
  void apply(std::uint32_t shard, std::span<const Push> pushes, std::int64_t round);

  /// Tasks abandoned because a newer model arrived while they ran.
  std::uint64_t preempted() const { return preempted_; }

  void fail_worker(std::uint32_t w) override;

  /// True when every worker has failed.
  bool all_failed() const { return failed_ == workers(); }

  std::uint32_t workers() const { return ctx_.cluster.worker_count(); }
  std::uint32_t shards() const { return ctx_.cluster.parameter_node_count(); }
  std::uint64_t version(std::uint32_t shard) const { return versions_[shard]; }

  ProtocolContext ctx_;

 private:
  struct WorkerState {
    Gradient gradient;
    SimTime idle_since = 0;
    EventId compute_event;       ///< The end of the task in progress.
    std::uint32_t awaiting = 0;  ///< Shards not yet received in this pull.
    bool computing = false;
    bool failed = false;
  };
  /// What a (worker, shard) pair needs on every pull, push and apply, in one cache line: at
  /// 10,000 workers scattered arrays cost a cache miss each.
  struct alignas(64) PairState {
    ShardSnapshot read;        ///< Exactly what was sent to the worker.
    std::uint64_t v_read = 0;  ///< The version of the model the worker holds.
    Network::Route down, up;   ///< Node to worker, and back.
  };
  /// Index of (worker, shard) in the flat per-pair arrays.
  std::size_t pair(std::uint32_t w, std::uint32_t shard) const {
    return static_cast<std::size_t>(w) * shards() + shard;
  }
  void on_model_arrived(std::uint32_t w, std::uint32_t shard, std::uint64_t v);
  void compute_and_push(std::uint32_t w);

  std::vector<WorkerState> state_;
  std::vector<PairState> pairs_;        ///< Indexed by pair(worker, shard).
  std::vector<ShardSnapshot> reading_;  ///< Scratch: one worker's snapshots, for the learner.
  std::vector<const std::vector<double>*> slices_;  ///< Scratch for apply(), reused.
  std::vector<std::uint64_t> versions_;
  std::uint64_t preempted_ = 0;
  std::uint32_t failed_ = 0;
};

/// Synchronous rounds: each parameter node waits for the first `wait_for` gradients computed on
/// its current model (0: all of them), applies their mean (in worker order) as one update and
/// sends the new model to all, preempting the workers still computing (K-sync; backup workers).
/// With a `timeout` (> 0), a round that has not closed that long after its model was sent closes
/// with the gradients it has.
std::unique_ptr<Protocol> make_synchronous(ProtocolContext ctx, std::uint32_t wait_for = 0,
                                           SimTime timeout = 0);

/// Asynchronous updates: each parameter node applies a push as soon as it arrives and sends the
/// pusher the new model.
std::unique_ptr<Protocol> make_asynchronous(ProtocolContext ctx);

}  // namespace sgdsim
