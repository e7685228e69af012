#include "sim/learning/shared_memory_model.hpp"

namespace sgdsim {

CoordinateTotals totals(const CoordinateCounts& counts) {
  CoordinateTotals t;
  for (std::size_t v = 0; v < counts.writes.size(); ++v) {
    t.writes += counts.writes[v];
    t.collisions += counts.collisions[v];
    t.lost += counts.lost[v];
  }
  return t;
}

SharedMemoryModel::SharedMemoryModel(std::shared_ptr<const SparseObjective> objective,
                                     std::vector<double> initial, StepSchedule step,
                                     std::vector<std::vector<std::size_t>> partitions,
                                     std::uint64_t seed)
    : objective_(std::move(objective)),
      x_(std::move(initial)),
      step_(step),
      partitions_(std::move(partitions)) {
  cores_.reserve(partitions_.size());
  for (std::uint32_t c = 0; c < partitions_.size(); ++c)
    cores_.push_back({RandomStream(seed, c, "samples"), 0, 0, {}, {}, {}});
  counts_.writes.assign(x_.size(), 0);
  counts_.collisions.assign(x_.size(), 0);
  counts_.lost.assign(x_.size(), 0);
}

std::size_t SharedMemoryModel::draw(std::uint32_t c) {
  const std::vector<std::size_t>& terms = partitions_[c];
  return terms[cores_[c].samples.uniform_below(terms.size())];
}

void SharedMemoryModel::read(std::uint32_t c, std::size_t e) {
  CoreState& core = cores_[c];
  core.term = e;
  core.v_read = version_;
  objective_->gather(e, x_, core.values);
  const std::span<const SparseObjective::Index> support = objective_->support(e);
  core.writes_seen.resize(support.size());
  for (std::size_t k = 0; k < support.size(); ++k)
    core.writes_seen[k] = counts_.writes[static_cast<std::size_t>(support[k])];
  core.gradient.resize(support.size());
  objective_->gradient(e, core.values, core.gradient);
}

WriteOutcome SharedMemoryModel::write(std::uint32_t c, WriteSemantics semantics) {
  CoreState& core = cores_[c];
  WriteOutcome out{core.v_read, version_, 0, 0};
  const double step = step_.at(version_);
  const std::span<const SparseObjective::Index> support = objective_->support(core.term);
  for (std::size_t k = 0; k < support.size(); ++k) {
    const auto v = static_cast<std::size_t>(support[k]);
    const std::uint64_t since_read = counts_.writes[v] - core.writes_seen[k];
    if (since_read > 0) {
      ++out.conflicts;
      ++counts_.collisions[v];
    }
    if (semantics == WriteSemantics::kRacy) {
      // The value read, not the value now: every write since the read is erased.
      x_[v] = core.values[k] - step * core.gradient[k];
      out.lost += since_read;
      counts_.lost[v] += since_read;
    } else {
      x_[v] -= step * core.gradient[k];
    }
    ++counts_.writes[v];
  }
  ++version_;
  return out;
}

}  // namespace sgdsim
