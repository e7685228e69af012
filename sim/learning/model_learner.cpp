#include "sim/learning/model_learner.hpp"

#include <algorithm>
#include <stdexcept>

namespace sgdsim {
namespace {

Eigen::Map<const Vector> view(const std::vector<double>& v) {
  return {v.data(), static_cast<Eigen::Index>(v.size())};
}

}  // namespace

ModelLearner::ModelLearner(LearningSetup setup) : setup_(std::move(setup)) {
  const auto d = static_cast<std::size_t>(setup_.initial.size());
  const std::uint32_t shards = setup_.shards;
  if (shards == 0 || d < shards) throw std::invalid_argument("each shard needs a parameter");
  // Parameters are dealt out evenly; the first (d mod shards) shards take one more, as the
  // scenario's message sizes assume.
  bounds_.push_back(0);
  for (std::uint32_t s = 0; s < shards; ++s)
    bounds_.push_back(bounds_.back() + d / shards + (s < d % shards ? 1 : 0));
  for (std::uint32_t s = 0; s < shards; ++s) {
    const auto begin = static_cast<Eigen::Index>(bounds_[s]);
    const auto size = static_cast<Eigen::Index>(bounds_[s + 1] - bounds_[s]);
    const Vector slice = setup_.initial.segment(begin, size);
    params_.push_back(counted(std::vector<double>(slice.data(), slice.data() + size)));
    rules_.emplace_back(setup_.update, static_cast<std::size_t>(size));
  }
  for (std::uint32_t w = 0; w < setup_.partitions.size(); ++w)
    sample_rng_.emplace_back(setup_.seed, w, "samples");
  w_.resize(static_cast<Eigen::Index>(d));
}

std::shared_ptr<std::vector<double>> ModelLearner::counted(std::vector<double> values) {
  // The deleter shares the counter, so a copy outliving the learner still decrements safely.
  peak_ = std::max(peak_, ++*alive_);
  return {new std::vector<double>(std::move(values)), [alive = alive_](std::vector<double>* v) {
            --*alive;
            delete v;
          }};
}

ShardSnapshot ModelLearner::snapshot(std::uint32_t shard) {
  return params_[shard];
}

Gradient ModelLearner::compute(std::uint32_t w, std::span<const ShardSnapshot> read) {
  for (std::size_t s = 0; s < read.size(); ++s)
    w_.segment(static_cast<Eigen::Index>(bounds_[s]), static_cast<Eigen::Index>(read[s]->size())) =
        view(*read[s]);
  const std::vector<std::size_t>& rows = setup_.partitions[w];
  batch_.resize(setup_.batch_size);
  for (std::size_t& b : batch_) b = rows[sample_rng_[w].uniform_below(rows.size())];
  setup_.objective->batch_gradient(*setup_.train, batch_, w_, g_);
  g_ /= static_cast<double>(setup_.batch_size);
  Gradient slices(read.size());
  for (std::size_t s = 0; s < read.size(); ++s)
    slices[s].assign(g_.data() + bounds_[s], g_.data() + bounds_[s + 1]);
  return slices;
}

void ModelLearner::apply(std::uint32_t shard, std::span<const std::vector<double>* const> slices) {
  if (slices.empty()) return;
  sum_ = view(*slices[0]);
  for (std::size_t k = 1; k < slices.size(); ++k) sum_ += view(*slices[k]);
  if (slices.size() > 1) sum_ /= static_cast<double>(slices.size());
  // Copy on write: a worker still holding this version keeps it unchanged.
  if (params_[shard].use_count() > 1) params_[shard] = counted(*params_[shard]);
  std::vector<double>& p = *params_[shard];
  rules_[shard].apply(Eigen::Map<Vector>(p.data(), static_cast<Eigen::Index>(p.size())), sum_);
  if (shard == 0) samples_applied_ += slices.size() * setup_.batch_size;
}

Vector ModelLearner::parameters() const {
  Vector w(setup_.initial.size());
  for (std::size_t s = 0; s < params_.size(); ++s)
    w.segment(static_cast<Eigen::Index>(bounds_[s]),
              static_cast<Eigen::Index>(params_[s]->size())) = view(*params_[s]);
  return w;
}

}  // namespace sgdsim
