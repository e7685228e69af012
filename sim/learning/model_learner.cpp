#include "sim/learning/model_learner.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace sgdsim {
namespace {

Eigen::Map<const Vector> view(const std::vector<double>& v) {
  return {v.data(), static_cast<Eigen::Index>(v.size())};
}

/// The values of one slice a worker read: a snapshot it received, or its own copy.
const std::vector<double>& values(const ShardSnapshot& s) {
  return *s;
}
const std::vector<double>& values(const std::vector<double>& v) {
  return v;
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
    // With local SGD the parameter node only averages the workers' moves: w -= mean(move).
    UpdateSettings averaging;
    averaging.step.eta0 = 1.0;
    rules_.emplace_back(setup_.local_steps > 0 ? averaging : setup_.update,
                        static_cast<std::size_t>(size));
  }
  for (std::uint32_t w = 0; w < setup_.partitions.size(); ++w)
    sample_rng_.emplace_back(setup_.seed, w, "samples");
  const CompressionSettings& z = setup_.compression;
  if (z.kind != CompressionSettings::Kind::kNone) {
    encoded_bytes_.assign(setup_.partitions.size() * shards, 0);
    for (std::uint32_t w = 0; w < setup_.partitions.size(); ++w) {
      quantize_rng_.emplace_back(setup_.seed, w, "quantize");
      if (z.kind == CompressionSettings::Kind::kTopK)
        for (std::uint32_t s = 0; s < shards; ++s)
          topk_.emplace_back(z.k, bounds_[s + 1] - bounds_[s]);
    }
  }
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

void ModelLearner::draw_batch(std::uint32_t w) {
  const std::vector<std::size_t>& rows = setup_.partitions[w];
  batch_.resize(setup_.batch_size);
  for (std::size_t& b : batch_) b = rows[sample_rng_[w].uniform_below(rows.size())];
}

void ModelLearner::local_steps(std::uint32_t w) {
  // The local optimiser starts afresh each task; its steps follow the scenario's schedule.
  UpdateState local(setup_.update, static_cast<std::size_t>(w_.size()));
  const Vector start = w_;
  g_.resize(w_.size());
  for (std::uint32_t h = 0; h < setup_.local_steps; ++h) {
    draw_batch(w);
    setup_.objective->batch_gradient(*setup_.train, batch_, w_, g_);
    if (setup_.batch_size > 1) g_ /= static_cast<double>(setup_.batch_size);
    local.apply(w_, g_);
  }
  g_ = start - w_;
}

template <typename Slices>
void ModelLearner::assemble(const Slices& read) {
  for (std::size_t s = 0; s < read.size(); ++s)
    w_.segment(static_cast<Eigen::Index>(bounds_[s]),
               static_cast<Eigen::Index>(values(read[s]).size())) = view(values(read[s]));
}

double ModelLearner::select_rows(std::uint32_t w) {
  using Scope = LearningSetup::Scope;
  switch (setup_.scope) {
    case Scope::kSampled:
      draw_batch(w);
      return setup_.batch_size;  // A sampled gradient is the batch's mean.
    case Scope::kFullPartition:
      batch_ = setup_.partitions[w];
      return 1.0;  // A partition's gradient stays a sum: the nodes divide by the data's size.
    case Scope::kCoordinateBlock:
      batch_.resize(setup_.train->size());
      std::iota(batch_.begin(), batch_.end(), std::size_t{0});
      return static_cast<double>(batch_.size());  // The whole data's mean.
  }
  return 1.0;
}

void ModelLearner::compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient& out) {
  out.resize(read.size());
  if (setup_.local_steps > 0) {
    assemble(read);
    local_steps(w);
  } else if (read.size() == 1 && setup_.scope != LearningSetup::Scope::kCoordinateBlock) {
    // One shard: the gradient is computed on the snapshot itself, straight into the worker's
    // buffer, with no copy of the model or of the gradient.
    const double divisor = select_rows(w);
    out[0].resize(read[0]->size());
    Eigen::Map<Vector> g(out[0].data(), static_cast<Eigen::Index>(out[0].size()));
    setup_.objective->batch_gradient(*setup_.train, batch_, view(*read[0]), g);
    if (divisor != 1.0) g /= divisor;  // x / 1 == x: skipping it changes no bit.
    compress(w, out);
    return;
  } else {
    assemble(read);
    const double divisor = select_rows(w);
    g_.resize(w_.size());
    setup_.objective->batch_gradient(*setup_.train, batch_, w_, g_);
    if (divisor != 1.0) g_ /= divisor;
    if (setup_.scope == LearningSetup::Scope::kCoordinateBlock) {
      // The worker computes, and sends, only its block; the rest of the vector stays zero.
      const auto [first, last] = block(w);
      g_.head(static_cast<Eigen::Index>(first)).setZero();
      g_.tail(static_cast<Eigen::Index>(bounds_.back() - last)).setZero();
    }
  }
  for (std::size_t s = 0; s < read.size(); ++s)
    out[s].assign(g_.data() + bounds_[s], g_.data() + bounds_[s + 1]);
  compress(w, out);
}

void ModelLearner::accrue(std::uint32_t w, Gradient& local, Gradient& accrued, double step) {
  assemble(local);
  draw_batch(w);
  g_.resize(w_.size());
  setup_.objective->batch_gradient(*setup_.train, batch_, w_, g_);
  if (setup_.batch_size > 1) g_ /= static_cast<double>(setup_.batch_size);
  accrued.resize(local.size());
  for (std::size_t s = 0; s < local.size(); ++s) {
    const auto begin = static_cast<Eigen::Index>(bounds_[s]);
    const auto size = static_cast<Eigen::Index>(local[s].size());
    accrued[s].resize(local[s].size(), 0.0);
    Eigen::Map<Vector>(accrued[s].data(), size) += g_.segment(begin, size);
    if (step != 0.0) Eigen::Map<Vector>(local[s].data(), size) -= step * g_.segment(begin, size);
  }
}

void ModelLearner::compress(std::uint32_t w, Gradient& slices) {
  const CompressionSettings& z = setup_.compression;
  if (z.kind == CompressionSettings::Kind::kNone) return;
  const std::size_t shards = slices.size();
  for (std::size_t s = 0; s < shards; ++s) {
    Eigen::Map<Vector> g(slices[s].data(), static_cast<Eigen::Index>(slices[s].size()));
    // The simulated parameter node receives exactly what the encoding carries.
    const std::uint64_t bits = z.kind == CompressionSettings::Kind::kQsgd
                                   ? Qsgd(z.levels).quantize(g, quantize_rng_[w])
                                   : topk_[w * shards + s].sparsify(g);
    encoded_bytes_[w * shards + s] = (bits + 7) / 8;
  }
}

std::optional<std::uint64_t> ModelLearner::push_bytes(std::uint32_t w, std::uint32_t shard) const {
  if (!encoded_bytes_.empty()) return encoded_bytes_[w * params_.size() + shard];
  if (setup_.scope != LearningSetup::Scope::kCoordinateBlock) return std::nullopt;
  // Only the worker's block travels: its overlap with the shard's parameters.
  const auto [first, last] = block(w);
  const std::size_t lo = std::max(first, bounds_[shard]), hi = std::min(last, bounds_[shard + 1]);
  return (hi > lo ? hi - lo : 0) * setup_.value_bytes;
}

std::pair<std::size_t, std::size_t> ModelLearner::block(std::uint32_t w) const {
  const std::size_t d = bounds_.back(), p = setup_.partitions.size();
  return {d * w / p, d * (w + 1) / p};
}

void ModelLearner::apply(std::uint32_t shard, std::span<const std::vector<double>* const> slices) {
  if (slices.empty()) return;
  using Scope = LearningSetup::Scope;
  if (slices.size() > 1 || setup_.local_steps > 0 || setup_.scope != Scope::kSampled) {
    sum_ = view(*slices[0]);
    for (std::size_t k = 1; k < slices.size(); ++k) sum_ += view(*slices[k]);
    // Sampled gradients and local moves are averaged; partition sums make the mean over all
    // samples; coordinate blocks are disjoint, so their sum is the whole gradient.
    if (setup_.scope == Scope::kFullPartition)
      sum_ /= static_cast<double>(setup_.train->size());
    else if (setup_.scope == Scope::kSampled)
      sum_ /= static_cast<double>(slices.size());
  }
  // Copy on write: a worker still holding this version keeps it unchanged.
  if (params_[shard].use_count() > 1) params_[shard] = counted(*params_[shard]);
  std::vector<double>& p = *params_[shard];
  const Eigen::Map<Vector> params(p.data(), static_cast<Eigen::Index>(p.size()));
  // A single gradient (asynchronous) is applied from where it lies, without a copy.
  if (slices.size() == 1 && setup_.local_steps == 0 && setup_.scope == Scope::kSampled)
    rules_[shard].apply(params, view(*slices[0]));
  else
    rules_[shard].apply(params, sum_);
  // An update of full-batch or coordinate-parallel gradients is one pass over the data.
  if (shard == 0)
    samples_applied_ += setup_.scope != Scope::kSampled
                            ? setup_.train->size()
                            : slices.size() * setup_.batch_size * setup_.accumulate *
                                  std::max(1u, setup_.local_steps);
}

Vector ModelLearner::parameters() const {
  Vector w(setup_.initial.size());
  for (std::size_t s = 0; s < params_.size(); ++s)
    w.segment(static_cast<Eigen::Index>(bounds_[s]),
              static_cast<Eigen::Index>(params_[s]->size())) = view(*params_[s]);
  return w;
}

}  // namespace sgdsim
