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
};

/// Real gradients on exact stale models.
///
/// Each shard's parameters are shared with every worker that read them and copied only when an
/// update arrives while someone still holds them (copy on write), so memory stays near the number
/// of distinct versions in flight times the model size. A worker's gradient is the mean over its
/// batch, drawn with replacement from its partition by its own stream (seed, worker, "samples");
/// a parameter node given several gradients at once (a synchronous round) applies their mean,
/// summed in the order given.
class ModelLearner final : public Learner {
 public:
  explicit ModelLearner(LearningSetup setup);

  ShardSnapshot snapshot(std::uint32_t shard) override;
  void compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient& out) override;
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
  LearningSetup setup_;
  std::vector<std::size_t> bounds_;  ///< Shard s holds parameters [bounds_[s], bounds_[s + 1]).
  std::vector<std::shared_ptr<std::vector<double>>> params_;
  std::vector<UpdateState> rules_;
  std::vector<RandomStream> sample_rng_;
  /// Compression state: QSGD's draws per worker (seed, w, "quantize"); top-k's residual per
  /// (worker, shard); the encoded size of each worker's last slice per shard.
  std::vector<RandomStream> quantize_rng_;
  std::vector<TopK> topk_;
  std::vector<std::uint64_t> encoded_bytes_;
  /// Local SGD: runs the local steps from `w_` and leaves the model's move (start - end) in g_.
  void local_steps(std::uint32_t w);
  /// Worker w's block of coordinates [first, second) (kCoordinateBlock).
  std::pair<std::size_t, std::size_t> block(std::uint32_t w) const;
  /// Copies the slices read (snapshots, or a worker's own copy) into w_, shard by shard.
  template <typename Slices>
  void assemble(const Slices& read);
  /// Puts the rows of worker w's next gradient into batch_ (by the scope); returns what the
  /// gradient's sum is divided by.
  double select_rows(std::uint32_t w);
  /// Draws worker w's next batch into batch_.
  void draw_batch(std::uint32_t w);
  Vector w_, g_, sum_;  ///< Scratch, reused.
  std::vector<std::size_t> batch_;
  std::uint64_t samples_applied_ = 0;
  std::shared_ptr<std::size_t> alive_ = std::make_shared<std::size_t>(0);
  std::size_t peak_ = 0;
  /// A new shard copy whose destruction is counted.
  std::shared_ptr<std::vector<double>> counted(std::vector<double> values);
};

}  // namespace sgdsim
