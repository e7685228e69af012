#include "sim/learning/model_learner.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace sgdsim {
namespace {

Eigen::Map<const Vector> view(const std::vector<double>& v) {
  return {v.data(), static_cast<Eigen::Index>(v.size())};
}

/// The values of one slice a worker read: a buffer of a version, or its own copy.
const std::vector<double>& values(const std::shared_ptr<const std::vector<double>>& s) {
  return *s;
}
const std::vector<double>& values(const std::vector<double>& v) {
  return v;
}

/// How a counted snapshot is released: one copy fewer, and the buffer goes once no gradient
/// being computed holds it either.
struct CountedRelease {
  std::shared_ptr<std::size_t> alive;
  std::shared_ptr<const std::vector<double>> buffer;
  void operator()(const std::vector<double>*) const { --*alive; }
};

/// The buffer behind a snapshot, for a gradient to hold while it is computed.
std::shared_ptr<const std::vector<double>> buffer_of(const ShardSnapshot& snapshot) {
  const auto* release = std::get_deleter<CountedRelease>(snapshot);
  return release ? release->buffer : snapshot;  // A snapshot not made here holds itself.
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
  buffers_.resize(shards);
  params_.resize(shards);
  for (std::uint32_t s = 0; s < shards; ++s) {
    const auto begin = static_cast<Eigen::Index>(bounds_[s]);
    const auto size = static_cast<Eigen::Index>(bounds_[s + 1] - bounds_[s]);
    const Vector slice = setup_.initial.segment(begin, size);
    install(s, std::vector<double>(slice.data(), slice.data() + size));
    // With local SGD the parameter node only averages the workers' moves: w -= mean(move).
    UpdateSettings averaging;
    averaging.step.eta0 = 1.0;
    rules_.emplace_back(setup_.local_steps > 0 ? averaging : setup_.update,
                        static_cast<std::size_t>(size));
  }
  const auto workers = static_cast<std::uint32_t>(setup_.partitions.size());
  for (std::uint32_t w = 0; w < workers; ++w) {
    sample_rng_.emplace_back(setup_.seed, w, "samples");
    if (setup_.objective->is_random()) noise_rng_.emplace_back(setup_.seed, w, "model noise");
  }
  const CompressionSettings& z = setup_.compression;
  if (z.kind != CompressionSettings::Kind::kNone) {
    encoded_bytes_.assign(workers * shards, 0);
    for (std::uint32_t w = 0; w < workers; ++w) {
      quantize_rng_.emplace_back(setup_.seed, w, "quantize");
      if (z.kind == CompressionSettings::Kind::kTopK)
        for (std::uint32_t s = 0; s < shards; ++s)
          topk_.emplace_back(z.k, bounds_[s + 1] - bounds_[s]);
    }
  }
  if (setup_.scope == LearningSetup::Scope::kCoordinateBlock) {
    every_.resize(setup_.train->size());
    std::iota(every_.begin(), every_.end(), std::size_t{0});
  }
  jobs_.resize(workers);
  const std::uint32_t threads = std::max(1u, setup_.threads);
  scratch_.resize(threads);
  tasks_ =
      std::make_unique<ParallelTasks>(threads, workers, [this](std::size_t w, std::size_t thread) {
        evaluate(static_cast<std::uint32_t>(w), thread);
      });
}

ModelLearner::~ModelLearner() = default;

void ModelLearner::install(std::uint32_t shard, std::vector<double> values) {
  // The release shares the counter, so a copy outliving the learner still decrements safely.
  auto buffer = std::make_shared<std::vector<double>>(std::move(values));
  peak_ = std::max(peak_, ++*alive_);
  params_[shard] = ShardSnapshot(buffer.get(), CountedRelease{alive_, buffer});
  buffers_[shard] = std::move(buffer);
}

ShardSnapshot ModelLearner::snapshot(std::uint32_t shard) {
  return params_[shard];
}

std::uint64_t ModelLearner::next_noise_seed(std::uint32_t w) {
  return noise_rng_.empty() ? 0 : noise_rng_[w].next_u64();
}

void ModelLearner::draw_batch(std::uint32_t w, std::vector<std::size_t>& rows) {
  const std::vector<std::size_t>& partition = setup_.partitions[w];
  for (std::uint32_t b = 0; b < setup_.batch_size; ++b)
    rows.push_back(partition[sample_rng_[w].uniform_below(partition.size())]);
}

void ModelLearner::local_steps(const Job& job, Scratch& x) const {
  // The local optimiser starts afresh each task; its steps follow the scenario's schedule.
  UpdateState local(setup_.update, static_cast<std::size_t>(x.w.size()));
  const Vector start = x.w;
  x.g.resize(x.w.size());
  for (std::uint32_t h = 0; h < setup_.local_steps; ++h) {
    setup_.objective->batch_gradient(*setup_.train,
                                     job.rows.subspan(h * setup_.batch_size, setup_.batch_size),
                                     x.w, x.g, job.noise_seed + h);
    if (setup_.batch_size > 1) x.g /= static_cast<double>(setup_.batch_size);
    local.apply(x.w, x.g);
  }
  x.g = start - x.w;
}

template <typename Slices>
void ModelLearner::assemble(const Slices& read, Vector& into) const {
  into.resize(static_cast<Eigen::Index>(bounds_.back()));
  for (std::size_t s = 0; s < read.size(); ++s)
    into.segment(static_cast<Eigen::Index>(bounds_[s]),
                 static_cast<Eigen::Index>(values(read[s]).size())) = view(values(read[s]));
}

void ModelLearner::select_rows(std::uint32_t w, Job& job) {
  using Scope = LearningSetup::Scope;
  job.drawn.clear();
  switch (setup_.scope) {
    case Scope::kSampled:
      for (std::uint32_t h = 0; h < std::max(1u, setup_.local_steps); ++h) draw_batch(w, job.drawn);
      job.rows = job.drawn;
      job.divisor = setup_.batch_size;  // A sampled gradient is the batch's mean.
      return;
    case Scope::kFullPartition:
      // A partition's gradient stays a sum: the nodes divide by the data's size.
      job.rows = setup_.partitions[w];
      job.divisor = 1.0;
      return;
    case Scope::kCoordinateBlock:
      job.rows = every_;
      job.divisor = static_cast<double>(every_.size());  // The whole data's mean.
      return;
  }
}

void ModelLearner::compute(std::uint32_t w, std::span<const ShardSnapshot> read, Gradient&) {
  // Everything that draws from a stream or reads what changes happens here, in event order; the
  // arithmetic may wait for a thread.
  Job& job = jobs_[w];
  job.read.clear();
  for (const ShardSnapshot& s : read) job.read.push_back(buffer_of(s));
  select_rows(w, job);
  job.noise_seed = next_noise_seed(w);
  job.result.resize(read.size());
  tasks_->start(w);
  // Computed already on one thread: the buffers need not be held any longer, so an update can
  // change its version in place, as when nothing else reads it.
  if (tasks_->threads() == 1) job.read.clear();
}

void ModelLearner::finish(std::uint32_t w, Gradient& out) {
  tasks_->wait(w);
  Job& job = jobs_[w];
  job.read.clear();      // Released here, on the event loop's thread, after the computation.
  out.swap(job.result);  // Buffers change hands, and keep their capacity both ways.
  compress(w, out);
}

void ModelLearner::evaluate(std::uint32_t w, std::size_t thread) {
  Job& job = jobs_[w];
  Gradient& out = job.result;
  Scratch& x = scratch_[thread];
  if (setup_.local_steps > 0) {
    assemble(job.read, x.w);
    local_steps(job, x);
  } else if (job.read.size() == 1 && setup_.scope != LearningSetup::Scope::kCoordinateBlock) {
    // One shard: the gradient is computed on the version itself, straight into the worker's
    // buffer, with no copy of the model or of the gradient.
    out[0].resize(job.read[0]->size());
    Eigen::Map<Vector> g(out[0].data(), static_cast<Eigen::Index>(out[0].size()));
    setup_.objective->batch_gradient(*setup_.train, job.rows, view(*job.read[0]), g,
                                     job.noise_seed);
    if (job.divisor != 1.0) g /= job.divisor;  // x / 1 == x: skipping it changes no bit.
    return;
  } else {
    assemble(job.read, x.w);
    x.g.resize(x.w.size());
    setup_.objective->batch_gradient(*setup_.train, job.rows, x.w, x.g, job.noise_seed);
    if (job.divisor != 1.0) x.g /= job.divisor;
    if (setup_.scope == LearningSetup::Scope::kCoordinateBlock) {
      // The worker computes, and sends, only its block; the rest of the vector stays zero.
      const auto [first, last] = block(w);
      x.g.head(static_cast<Eigen::Index>(first)).setZero();
      x.g.tail(static_cast<Eigen::Index>(bounds_.back() - last)).setZero();
    }
  }
  for (std::size_t s = 0; s < out.size(); ++s)
    out[s].assign(x.g.data() + bounds_[s], x.g.data() + bounds_[s + 1]);
}

void ModelLearner::accrue(std::uint32_t w, Gradient& local, Gradient& accrued, double step) {
  // On the event loop's thread, at once: Downpour's copy changes from step to step.
  Scratch& x = scratch_[0];
  assemble(local, x.w);
  accrue_rows_.clear();
  draw_batch(w, accrue_rows_);
  x.g.resize(x.w.size());
  setup_.objective->batch_gradient(*setup_.train, accrue_rows_, x.w, x.g, next_noise_seed(w));
  if (setup_.batch_size > 1) x.g /= static_cast<double>(setup_.batch_size);
  accrued.resize(local.size());
  for (std::size_t s = 0; s < local.size(); ++s) {
    const auto begin = static_cast<Eigen::Index>(bounds_[s]);
    const auto size = static_cast<Eigen::Index>(local[s].size());
    accrued[s].resize(local[s].size(), 0.0);
    Eigen::Map<Vector>(accrued[s].data(), size) += x.g.segment(begin, size);
    if (step != 0.0) Eigen::Map<Vector>(local[s].data(), size) -= step * x.g.segment(begin, size);
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
  // Copy on write: a worker still holding this version keeps it unchanged. A version that only
  // gradients being computed still read moves to a buffer of its own, not counted as a copy:
  // the simulation would have updated it in place.
  if (params_[shard].use_count() > 1) {
    install(shard, *buffers_[shard]);
  } else if (buffers_[shard].use_count() > 2) {  // Held by the snapshot, buffers_ and a gradient.
    std::vector<double> values = *buffers_[shard];
    params_[shard].reset();
    install(shard, std::move(values));
  }
  std::vector<double>& p = *buffers_[shard];
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
