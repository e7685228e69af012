#pragma once
// The one shared model of simulated HOGWILD!: cores read a term's coordinates, compute its
// gradient on exactly the values they read, and write those coordinates back later, either with
// atomic adds or with racy read-modify-writes that erase whatever landed in between. Every
// overwrite is counted where it happens, per coordinate.

#include <cstdint>
#include <memory>
#include <vector>

#include "models/sparse_objective.hpp"
#include "models/update_rule.hpp"
#include "sim/engine/random.hpp"

namespace sgdsim {

/// What one core's write did to the shared model.
struct WriteOutcome {
  std::uint64_t v_read = 0;   ///< Model updates applied before the core read.
  std::uint64_t v_apply = 0;  ///< Model updates applied before this write.
  /// Coordinates of the term that another core wrote between this core's read and this write.
  std::uint32_t conflicts = 0;
  /// Earlier writes erased by this one (racy semantics only): for each coordinate, the writes
  /// that landed between the read and this write.
  std::uint64_t lost = 0;
};

/// Per-coordinate counts of a run.
struct CoordinateCounts {
  std::vector<std::uint64_t> writes;      ///< Writes to the coordinate.
  std::vector<std::uint64_t> collisions;  ///< Writes that found it written since their read.
  std::vector<std::uint64_t> lost;        ///< Its writes erased by a later racy write.
};

/// The sums of CoordinateCounts over every coordinate.
struct CoordinateTotals {
  std::uint64_t writes = 0, collisions = 0, lost = 0;
};

/// Adds up the counts of every coordinate.
CoordinateTotals totals(const CoordinateCounts& counts);

/// The shared parameters, the terms each core samples, and what each core has read.
///
/// A core's gradient is computed when it reads (on the values read, which is the same as
/// computing it later from a kept copy), so a core holds only its term's values and gradient.
class SharedMemoryModel {
 public:
  /// `partitions[c]`: the terms core c samples from, uniformly, with its own stream
  /// (seed, c, "samples"). The step of each write follows `step` at the model's update count.
  SharedMemoryModel(std::shared_ptr<const SparseObjective> objective, std::vector<double> initial,
                    StepSchedule step, std::vector<std::vector<std::size_t>> partitions,
                    std::uint64_t seed);

  /// Draws the next term core `c` works on.
  std::size_t draw(std::uint32_t c);

  /// Core `c` reads term `e`'s coordinates now and computes their gradient.
  void read(std::uint32_t c, std::size_t e);

  /// Core `c` writes the update of the term it read, now.
  WriteOutcome write(std::uint32_t c, WriteSemantics semantics);

  /// Coordinates in the term core `c` holds (what its read and write cost).
  std::size_t support_size(std::uint32_t c) const { return cores_[c].values.size(); }

  /// The current parameters.
  const std::vector<double>& parameters() const { return x_; }

  /// Writes applied so far: the model's version.
  std::uint64_t version() const { return version_; }

  const SparseObjective& objective() const { return *objective_; }
  const CoordinateCounts& counts() const { return counts_; }

 private:
  /// What core c read: its term, the values, their gradient, and each coordinate's write count.
  struct CoreState {
    RandomStream samples;
    std::size_t term = 0;
    std::uint64_t v_read = 0;
    std::vector<double> values, gradient;
    std::vector<std::uint64_t> writes_seen;
  };

  std::shared_ptr<const SparseObjective> objective_;
  std::vector<double> x_;
  StepSchedule step_;
  std::vector<std::vector<std::size_t>> partitions_;
  std::vector<CoreState> cores_;
  CoordinateCounts counts_;
  std::uint64_t version_ = 0;
};

}  // namespace sgdsim
