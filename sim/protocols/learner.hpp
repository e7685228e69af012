#pragma once
// The seam between timing and learning. Protocols decide when a worker reads the model, computes
// and pushes, and when a parameter node applies; a Learner decides what those steps compute.
// A gradient is always computed on exactly the snapshots the worker read.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace sgdsim {

/// The parameters of one shard at one version, shared by every worker that read that version, so
/// memory grows with the number of distinct versions in flight, not with the number of workers.
using ShardSnapshot = std::shared_ptr<const std::vector<double>>;

/// A worker's gradient, one slice per shard.
using Gradient = std::vector<std::vector<double>>;

/// What a protocol asks of the model.
class Learner {
 public:
  virtual ~Learner() = default;

  /// The current parameters of `shard`.
  virtual ShardSnapshot snapshot(std::uint32_t shard) = 0;

  /// Begins worker `w`'s gradient on exactly `read` (one snapshot per shard, as the worker
  /// received them), to be written into `out`, one slice per shard; `out` is reused task to task.
  /// It may be computed on another thread until finish(w, out), which must come before the
  /// worker computes again and before `out` is read.
  virtual void compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient& out) = 0;

  /// Waits until worker `w`'s gradient begun by compute() is in `out`, and readies it for the
  /// wire (compression). Called once for every compute(), also when the task is abandoned, so
  /// that what a worker's compression remembers never depends on when its tasks were cut short.
  virtual void finish(std::uint32_t /*w*/, Gradient& /*out*/) {}

  /// Bytes of worker `w`'s last gradient slice for `shard` as encoded for the wire (compressed,
  /// or only a block of coordinates), or nothing when the whole slice is sent.
  virtual std::optional<std::uint64_t> push_bytes(std::uint32_t /*w*/,
                                                  std::uint32_t /*shard*/) const {
    return std::nullopt;
  }

  /// Applies the given gradient slices to `shard` as one update, combined in the order given.
  virtual void apply(std::uint32_t shard, std::span<const std::vector<double>* const> slices) = 0;

  /// Downpour's step for worker `w`: the gradient of its next batch at `local` (its own copy of
  /// the parameters, one slice per shard) is added to `accrued`; then `local` moves by
  /// -`step` x that gradient (with `step` 0 it stays).
  virtual void accrue(std::uint32_t /*w*/, Gradient& /*local*/, Gradient& /*accrued*/,
                      double /*step*/) {}

  /// Compresses worker `w`'s gradient `slices` in place as the scenario says, so that push_bytes
  /// tells their encoded size; without compression, nothing changes.
  virtual void compress(std::uint32_t /*w*/, Gradient& /*slices*/) {}
};

/// The learner of a timing-only run (`model: none`): no parameters, nothing to compute.
class TimingOnlyLearner final : public Learner {
 public:
  ShardSnapshot snapshot(std::uint32_t) override { return nullptr; }
  void compute(std::uint32_t, std::span<const ShardSnapshot>, Gradient&) override {}
  void apply(std::uint32_t, std::span<const std::vector<double>* const>) override {}
};

}  // namespace sgdsim
