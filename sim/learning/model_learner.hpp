#pragma once
// Learning inside the simulator: the Learner that computes real gradients on exactly the model
// versions workers read, and applies them with a real update rule at each parameter node.

#include <cstdint>
#include <memory>
#include <vector>

#include "models/codec.hpp"
#include "models/dataset.hpp"
#include "models/objective.hpp"
#include "models/update_rule.hpp"
#include "sim/engine/random.hpp"
#include "sim/learning/parallel_tasks.hpp"
#include "sim/protocols/learner.hpp"

namespace sgdsim {

/// How workers compress their gradients before pushing them.
struct CompressionSettings {
  enum class Kind { kNone, kQsgd, kTopK };
  Kind kind = Kind::kNone;
  std::uint32_t levels = 4;  ///< QSGD's s.
  std::size_t k = 10;        ///< Top-k's k, per shard slice.
};

/// What the simulated workers learn, and from what.
struct LearningSetup {
  std::shared_ptr<const Dataset> train;
  std::shared_ptr<const Objective> objective;
  UpdateSettings update;
  /// Per worker, the rows of `train` it draws its samples from.
  std::vector<std::vector<std::size_t>> partitions;
  std::uint32_t batch_size = 1;
  std::uint64_t seed = 1;
  Vector initial;  ///< The parameters at version 0.
  std::uint32_t shards = 1;
  CompressionSettings compression;
  /// Local SGD (0: off): each task runs this many local steps of the update rule on the worker's
  /// own copy of the model, and pushes how far it moved; parameter nodes average the moves.
  std::uint32_t local_steps = 0;
  /// What one task's gradient covers.
  enum class Scope {
    kSampled,          ///< A batch drawn from the worker's partition (SGD).
    kFullPartition,    ///< Every sample of the partition; nodes divide the sum by the data's size.
    kCoordinateBlock,  ///< Every sample, but only the worker's block of coordinates.
  };
  Scope scope = Scope::kSampled;
  /// Downpour: the batch gradients summed into one push (for counting samples).
  std::uint32_t accumulate = 1;
  std::uint64_t value_bytes = 4;  ///< Bytes per parameter on the wire (coordinate blocks).
  /// Threads computing gradients (1: each at once, on the event loop's thread). The results
  /// are the same bits whatever the number.
  std::uint32_t threads = 1;
};

/// Real gradients on exact stale models.
///
/// Each shard's parameters are shared with every worker that read them and copied only when an
/// update arrives while someone still holds them (copy on write), so memory stays near the number
/// of distinct versions in flight times the model size. A worker's gradient is the mean over its
/// batch, drawn with replacement from its partition by its own stream (seed, worker, "samples");
/// a parameter node given several gradients at once (a synchronous round) applies their mean,
/// summed in the order given.
///
/// With several threads, compute() draws the samples at once and leaves the arithmetic to the
/// threads until finish(): the gradient is a function of the version read and the samples only,
/// so it is the same whichever thread computes it and when. A version that gradients still
/// being computed read is never updated in place; the copy this takes is the threads' own and
/// is not counted in copies_alive(), which stays that of the simulation.
class ModelLearner final : public Learner {
 public:
  explicit ModelLearner(LearningSetup setup);
  ~ModelLearner() override;

  ShardSnapshot snapshot(std::uint32_t shard) override;
  void compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient& out) override;
  void finish(std::uint32_t w, Gradient& out) override;
  void apply(std::uint32_t shard, std::span<const std::vector<double>* const> slices) override;
  std::optional<std::uint64_t> push_bytes(std::uint32_t w, std::uint32_t shard) const override;
  void accrue(std::uint32_t w, Gradient& local, Gradient& accrued, double step) override;
  void compress(std::uint32_t w, Gradient& slices) override;

  /// The current parameters, all shards together.
  Vector parameters() const;

  /// Samples that went into gradients applied so far (counted at shard 0; a full-batch or
  /// coordinate-parallel update counts the whole data once).
  std::uint64_t samples_applied() const { return samples_applied_; }

  /// Shard parameter copies alive now, and at most at any time: the memory the model takes, in
  /// units of one shard's parameters (the current versions plus those still held by readers).
  std::size_t copies_alive() const { return *alive_; }
  std::size_t copies_peak() const { return peak_; }

  /// The training data and objective, for evaluation.
  const Dataset& train() const { return *setup_.train; }
  const Objective& objective() const { return *setup_.objective; }

 private:
  /// A worker's gradient from compute() to finish() (a worker computes one at a time): what it
  /// read and the rows drawn for it, set on the event loop's thread, and the result, which
  /// finish() swaps into the caller's buffer. A computation touches only its job, so nothing it
  /// writes can outlive the learner or land in a buffer its caller has let go.
  struct Job {
    std::vector<std::shared_ptr<const std::vector<double>>> read;  ///< The buffers read.
    std::vector<std::size_t> drawn;     ///< Sampled rows (local SGD: every step's batch in turn).
    std::span<const std::size_t> rows;  ///< The rows of the gradient: drawn, or a fixed set.
    double divisor = 1.0;               ///< What the gradient's sum is divided by.
    std::uint64_t noise_seed = 0;       ///< A random model's seed (local SGD: of step 0).
    Gradient result;
  };
  /// Buffers of one thread, reused from gradient to gradient.
  struct Scratch {
    Vector w, g;
  };

  LearningSetup setup_;
  std::vector<std::size_t> bounds_;  ///< Shard s holds parameters [bounds_[s], bounds_[s + 1]).
  /// Shard s's current parameters: buffers_[s] holds them, params_[s] is the counted snapshot
  /// that readers share. Gradients being computed hold buffers, never snapshots, so the count
  /// is the simulation's whatever the threads do.
  std::vector<std::shared_ptr<std::vector<double>>> buffers_;
  std::vector<ShardSnapshot> params_;
  std::vector<UpdateState> rules_;
  std::vector<RandomStream> sample_rng_;
  /// A random model's (dropout's) seeds per worker (seed, w, "model noise"), one per task.
  std::vector<RandomStream> noise_rng_;
  /// Compression state: QSGD's draws per worker (seed, w, "quantize"); top-k's residual per
  /// (worker, shard); the encoded size of each worker's last slice per shard.
  std::vector<RandomStream> quantize_rng_;
  std::vector<TopK> topk_;
  std::vector<std::uint64_t> encoded_bytes_;
  /// Computes worker w's job with thread `thread`'s scratch; touches nothing else that changes.
  void evaluate(std::uint32_t w, std::size_t thread);
  /// Local SGD: runs the local steps from `x.w` on the job's batches and leaves the model's move
  /// (start - end) in x.g.
  void local_steps(const Job& job, Scratch& x) const;
  /// Worker w's block of coordinates [first, second) (kCoordinateBlock).
  std::pair<std::size_t, std::size_t> block(std::uint32_t w) const;
  /// Copies the slices read (buffers, or a worker's own copy) into `into`, shard by shard.
  template <typename Slices>
  void assemble(const Slices& read, Vector& into) const;
  /// Puts the rows of worker w's next gradient into `job` (by the scope).
  void select_rows(std::uint32_t w, Job& job);
  /// Worker w's seed for its next random gradient (0 for an objective that draws nothing).
  std::uint64_t next_noise_seed(std::uint32_t w);
  /// Appends worker w's next batch to `rows`.
  void draw_batch(std::uint32_t w, std::vector<std::size_t>& rows);
  /// Makes `values` the current parameters of `shard`, counted as one more copy.
  void install(std::uint32_t shard, std::vector<double> values);
  std::vector<Job> jobs_;
  std::vector<Scratch> scratch_;    ///< Per thread; [0] is the event loop's.
  std::vector<std::size_t> every_;  ///< Every row of the data, for coordinate blocks.
  Vector sum_;                      ///< Scratch of apply(), reused.
  std::vector<std::size_t> accrue_rows_;
  std::uint64_t samples_applied_ = 0;
  std::shared_ptr<std::size_t> alive_ = std::make_shared<std::size_t>(0);
  std::size_t peak_ = 0;
  /// Declared last, so its threads stop before anything they use goes.
  std::unique_ptr<ParallelTasks> tasks_;
};

}  // namespace sgdsim
