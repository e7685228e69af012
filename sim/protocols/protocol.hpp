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
#include "sim/protocols/message_pool.hpp"

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
  std::uint64_t value_bytes = 4;           ///< Bytes of one parameter on the wire.
};

/// Marks worker `w`'s failure now in the trace, if there is one.
void trace_failure(const ProtocolContext& ctx, std::uint32_t w);

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
///
/// Every message owns what it carries: a model message its snapshot and version, a push its
/// slice of the gradient (see message_pool.hpp). The gradient a node applies is therefore always
/// the one computed on the version its push records, whatever the subclass does meanwhile.
class ParameterNodeProtocol : public Protocol {
 protected:
  /// A gradient slice that reached a parameter node; it returns to the pool when destroyed.
  using Push = PushedSlice;
  /// Slices a parameter node keeps for a later update.
  using Pushes = PushedSlices;

  explicit ParameterNodeProtocol(ProtocolContext ctx);

  /// A parameter node received a gradient slice. Keeping `push` keeps it; letting it go drops it.
  virtual void on_push_arrived(Push push, std::uint32_t shard) = 0;

  /// Sends shard `shard`'s current parameters and version to worker `w`.
  void send_model(std::uint32_t shard, std::uint32_t w);

  /// Applies `pushes` (in that order) to `shard` as one update and records each gradient.
  /// Subclasses tell the recorder when a whole model update is complete.
  void apply(std::uint32_t shard, std::span<const SliceRef> pushes, std::int64_t round);

  /// Tasks abandoned because a newer model arrived while they ran.
  std::uint64_t preempted() const { return preempted_; }

  void fail_worker(std::uint32_t w) override;

  /// True when every worker has failed.
  bool all_failed() const { return failed_ == workers(); }

  /// True when worker `w` has failed.
  bool failed(std::uint32_t w) const { return state_[w].failed; }

  std::uint32_t workers() const { return ctx_.cluster.worker_count(); }
  std::uint32_t shards() const { return ctx_.cluster.parameter_node_count(); }
  std::uint64_t version(std::uint32_t shard) const { return versions_[shard]; }

  ProtocolContext ctx_;
  /// When set, a worker that has pushed starts another task at once on the model it holds,
  /// until a newer model arrives and preempts it (K-batch-sync); otherwise it waits for a model.
  bool keep_computing_ = false;

 private:
  /// A model on its way to a worker: the snapshot and version the node held when it sent.
  struct ModelMessage {
    ShardSnapshot snapshot;
    std::uint64_t v = 0;
  };
  struct WorkerState {
    GradientPool::Slot task = 0;  ///< The gradient of the task in progress, while computing.
    std::uint64_t tasks = 0;      ///< Tasks started.
    SimTime idle_since = 0;
    EventId compute_event;       ///< The end of the task in progress.
    std::uint32_t awaiting = 0;  ///< Shards not yet received in this pull.
    bool computing = false;
    bool failed = false;
  };
  /// What a (worker, shard) pair needs on every pull, push and apply, in one cache line: at
  /// 10,000 workers scattered arrays cost a cache miss each.
  struct alignas(64) PairState {
    ShardSnapshot held;        ///< The shard as the worker holds it: its last model message.
    std::uint64_t v_read = 0;  ///< The version of `held`.
    Network::Route down, up;   ///< Node to worker, and back.
  };
  /// Index of (worker, shard) in the flat per-pair arrays.
  std::size_t pair(std::uint32_t w, std::uint32_t shard) const {
    return static_cast<std::size_t>(w) * shards() + shard;
  }
  void on_model_arrived(std::uint32_t w, std::uint32_t shard, ModelMessage message);
  /// Starts worker w's task on the model it holds.
  void compute_and_push(std::uint32_t w);
  /// Worker w's task ended: it pushes a slice to every shard.
  void push(std::uint32_t w);
  /// Worker w's task in progress is abandoned, its gradient with it.
  void abandon_task(std::uint32_t w);

  // The pools are declared before anything that can hold their records, so they outlive them.
  GradientPool gradients_;
  MessagePool<ModelMessage> models_;
  std::vector<WorkerState> state_;
  std::vector<PairState> pairs_;        ///< Indexed by pair(worker, shard).
  std::vector<ShardSnapshot> reading_;  ///< Scratch: one worker's snapshots, for the learner.
  std::vector<const std::vector<double>*> slices_;  ///< Scratch for apply(), reused.
  std::vector<std::uint64_t> versions_;
  std::uint64_t preempted_ = 0;
  std::uint32_t failed_ = 0;
};

/// How synchronous rounds close.
struct RoundSettings {
  std::uint32_t wait_for = 0;  ///< Gradients on the current model a round waits for (0: all).
  SimTime timeout = 0;   ///< A round open this long after its model was sent closes (0: never).
  bool batches = false;  ///< Workers keep computing batches on the round's model (K-batch-sync).
};

/// Synchronous rounds: each parameter node waits for the first `wait_for` gradients computed on
/// its current model, applies their mean (in worker order) as one update and sends the new model
/// to all, preempting the workers still computing (K-sync; backup workers; K-batch-sync).
std::unique_ptr<Protocol> make_synchronous(ProtocolContext ctx, RoundSettings settings = {});

/// Asynchronous updates: each parameter node applies a push as soon as it arrives and sends the
/// pusher the new model.
std::unique_ptr<Protocol> make_asynchronous(ProtocolContext ctx);

/// K-async SGD (Dutta et al. 2018): a parameter node applies the mean of every `k` gradients that
/// arrive, whatever model they were computed on. Without `batches`, the new model goes to those k
/// workers only, and the others go on with what they hold; with `batches` (K-batch-async), every
/// pusher gets the node's current model at once.
std::unique_ptr<Protocol> make_k_async(ProtocolContext ctx, std::uint32_t k, bool batches);

/// Stale-synchronous parallel (Ho et al. 2013) with staleness bound `bound`: worker clocks count
/// its pushes; a worker at clock c reads only once every worker has reached clock c - bound, and
/// blocks until then. A node commits a clock's gradients (their mean, in worker order) once all
/// have arrived, so a read sees every clock before c - bound; bound 0 is bulk-synchronous.
std::unique_ptr<Protocol> make_stale_synchronous(ProtocolContext ctx, std::uint32_t bound);

/// Downpour's schedule (Dean et al. 2012).
struct DownpourSettings {
  std::uint32_t fetch_every = 1;  ///< n_fetch: a worker fetches the model every this many steps.
  std::uint32_t push_every = 1;   ///< n_push: and pushes its accrued gradients every this many.
  double local_step = 0.0;  ///< The step of a worker's own SGD on its copy; 0: the copy stays.
  bool background_fetch = false;  ///< Compute on while a fetch travels, instead of waiting.
};

/// Downpour SGD: asynchronous, sharded parameter nodes applying pushes on arrival; each worker
/// computes one batch per step on its own copy of the model, fetches the model every n_fetch
/// steps and pushes the sum of its gradients every n_push steps.
std::unique_ptr<Protocol> make_downpour(ProtocolContext ctx, DownpourSettings settings);

/// Synchronous SGD by ring all-reduce (no parameter node): every worker computes a gradient on its
/// replica, the workers reduce-scatter then all-gather the gradients around the ring w0 -> w1 ->
/// ... -> w0 in 2(P - 1) steps of one P-th of the model each, and every replica applies the mean.
/// A step's message is its chunk of the `dimension` parameters at `ctx.value_bytes` each, plus
/// `ctx.header_bytes`.
std::unique_ptr<Protocol> make_ring_all_reduce(ProtocolContext ctx, std::uint64_t dimension);

}  // namespace sgdsim
