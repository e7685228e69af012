// The one translation unit that includes libtorch's headers (they are heavy, and come through
// torchscript_parts.hpp): a TorchScript module as an Objective over the simulator's parameter
// vector, and the plugin's entry point.

#include "models/torchscript.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <optional>

#include "models/classes.hpp"
#include "models/torchscript_parts.hpp"

namespace sgdsim {
namespace {

using namespace torchscript_parts;

/// Samples per forward pass when a gradient or an evaluation covers many rows: the sums are
/// taken chunk by chunk in row order, so they do not depend on how many rows there are at once.
constexpr std::size_t kChunk = 256;

/// A TorchScript module as an Objective over its parameters, flattened in parameter order into
/// float64. Safe to use from several threads at once: each computation leases a replica of the
/// module of its own (see Lease).
class TorchScriptObjective final : public Objective {
 public:
  using Objective::batch_gradient;

  /// Takes `module` as the prototype of every replica; throws TorchScriptError when it cannot
  /// be trained as the simulator trains (check() then tries it on the data).
  TorchScriptObjective(torch::jit::Module module, TorchScriptSpec spec)
      : spec_(std::move(spec)), prototype_(std::move(module)) {
    for (const at::Tensor& p : prototype_.parameters())
      if (!p.requires_grad())
        throw TorchScriptError(TorchScriptError::Part::kFile,
                               "has a frozen parameter (requires_grad=False); sgdsim trains "
                               "every parameter of the module, so unfreeze it or make it a "
                               "buffer");
    Replica probe(prototype_);
    dtype_ = probe.params.empty() ? at::kFloat : probe.params.front().scalar_type();
    for (const at::Tensor& p : probe.params) {
      if (p.scalar_type() != dtype_ || !at::isFloatingType(dtype_))
        throw TorchScriptError(TorchScriptError::Part::kFile,
                               "has parameters of several types, or not floating-point; the "
                               "parameters must all be float32 or all float64");
      offsets_.push_back(dimension_);
      dimension_ += static_cast<std::size_t>(p.numel());
    }
    if (dimension_ == 0)
      throw TorchScriptError(TorchScriptError::Part::kFile, "has no parameters to train");
    for (const at::Tensor& b : prototype_.buffers())
      if (at::isFloatingType(b.scalar_type()))
        throw TorchScriptError(
            TorchScriptError::Part::kFile,
            "keeps state outside its parameters (a floating-point buffer, such as BatchNorm's "
            "running statistics), which a stale model cannot version; use GroupNorm or "
            "LayerNorm, or BatchNorm2d(track_running_stats=False)");
    initial_.resize(static_cast<Eigen::Index>(dimension_));
    for (std::size_t k = 0; k < probe.params.size(); ++k) {
      const at::Tensor values = probe.params[k].detach().to(at::kDouble).contiguous().reshape(-1);
      std::copy_n(values.data_ptr<double>(), values.numel(),
                  initial_.data() + static_cast<Eigen::Index>(offsets_[k]));
    }
    // Calls into submodules and functions (nn.Dropout calls F.dropout) are inlined first, so
    // that every operator the methods reach is seen.
    for (const char* name : {"forward", "loss"})
      if (const auto method = prototype_.find_method(name)) {
        const std::shared_ptr<torch::jit::Graph> graph = method->graph()->copy();
        torch::jit::Inline(*graph);
        random_ = random_ || block_is_random(graph->block());
      }
    const bool own_loss = prototype_.find_method("loss").has_value();
    loss_ = spec_.loss.value_or(own_loss ? TorchLoss::kModule : TorchLoss::kCrossEntropy);
    if (loss_ == TorchLoss::kCrossEntropy && !spec_.class_labels)
      throw TorchScriptError(TorchScriptError::Part::kLoss,
                             "cross_entropy needs class labels (0, 1, ...), but the data have "
                             "real-valued labels; use mse");
    if (loss_ == TorchLoss::kModule && !own_loss)
      throw TorchScriptError(TorchScriptError::Part::kLoss,
                             "model.loss is `module`, but the module has no method loss(x, y); "
                             "add one decorated with @torch.jit.export, or choose cross_entropy "
                             "or mse");
    free_.push_back(std::make_unique<Replica>(std::move(probe)));
  }

  std::size_t dimension(std::size_t) const override { return dimension_; }
  bool is_random() const override { return random_; }
  bool is_classifier() const override {
    return spec_.class_labels && loss_ != TorchLoss::kMse && outputs_classes_;
  }
  Vector initial(std::size_t, const std::function<double()>&) const override { return initial_; }

  void batch_gradient(const Dataset& data, std::span<const std::size_t> rows, const ParamsView& w,
                      GradientView g, std::uint64_t noise_seed) const override {
    const Lease replica(*this);
    replica->set_training(true);
    set_parameters(*replica, w);
    g.setZero();
    for (std::size_t first = 0; first < rows.size(); first += kChunk) {
      const auto chunk = rows.subspan(first, std::min(kChunk, rows.size() - first));
      const at::Tensor x = inputs(data, chunk), y = targets(data, chunk);
      at::Tensor loss;
      {
        std::unique_lock<std::mutex> turn;
        if (random_) {
          turn = std::unique_lock(generator_turns());
          seed_generator(part_seed(noise_seed, first / kChunk));
        }
        loss = in_run("a forward pass", [&] { return loss_of(*replica, x, y, nullptr); });
      }
      // allow_unused: a parameter the loss does not reach has no gradient (zero).
      const std::vector<at::Tensor> grads = in_run("a gradient", [&] {
        return torch::autograd::grad({loss}, replica->params, {}, c10::nullopt, false, true);
      });
      for (std::size_t k = 0; k < grads.size(); ++k) add(grads[k], offsets_[k], g);
    }
    if (spec_.l2 > 0.0) g.noalias() += (spec_.l2 * static_cast<double>(rows.size())) * w;
  }

  double mean_loss(const Dataset& data, const ParamsView& w) const override {
    return evaluate(data, w, false).loss;
  }
  double accuracy(const Dataset& data, const ParamsView& w) const override {
    return evaluate(data, w, true).accuracy;
  }
  LossAndAccuracy loss_and_accuracy(const Dataset& data, const ParamsView& w) const override {
    return evaluate(data, w, true);
  }

  double sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const override {
    return mean_loss(data.subset(std::span(&i, 1)), w);
  }
  void add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w, double scale,
                           GradientView g) const override {
    Vector one(g.size());
    batch_gradient(data, std::span(&i, 1), w, one, 0);
    g += scale * one;
  }
  bool correct(const Dataset& data, std::size_t i, const ParamsView& w) const override {
    return accuracy(data.subset(std::span(&i, 1)), w) == 1.0;
  }

  /// Runs forward, the loss, a gradient and an evaluation on two samples, so that a module that
  /// does not fit the data fails here, with a message that says which key to change, rather
  /// than in the middle of a run.
  void check(const Dataset& data) {
    const std::size_t features = data.features();
    std::int64_t per_sample = 1;
    bool overflow = false;
    for (const std::int64_t size : spec_.input_shape)
      overflow = overflow || __builtin_mul_overflow(per_sample, size, &per_sample);
    if (overflow)
      throw TorchScriptError(TorchScriptError::Part::kInputShape,
                             "model.input_shape " + shape_text(spec_.input_shape) +
                                 " holds more values than a sample can have");
    if (!spec_.input_shape.empty() && per_sample != static_cast<std::int64_t>(features))
      throw TorchScriptError(
          TorchScriptError::Part::kInputShape,
          fmt::format("model.input_shape {} holds {} values per sample, but the data have {} "
                      "features",
                      shape_text(spec_.input_shape), per_sample, features));
    const std::vector<std::size_t> rows = {0, std::min<std::size_t>(1, data.size() - 1)};
    const Lease replica(*this);
    replica->set_training(true);
    set_parameters(*replica, initial_);
    const at::Tensor x = inputs(data, rows);
    at::Tensor out;
    try {
      out = replica->module.forward({x}).toTensor();
    } catch (const std::exception& e) {
      throw TorchScriptError(
          TorchScriptError::Part::kInputShape,
          fmt::format(
              "the module's forward cannot take a batch of shape {}{}: {}", shape_text(x.sizes()),
              spec_.input_shape.empty() ? " (set model.input_shape, such as [1, 28, 28])" : "",
              first_line(e)));
    }
    check_output(out, x);
    at::Tensor loss;
    try {
      loss = loss_of(*replica, x, targets(data, rows), nullptr);
    } catch (const TorchScriptError&) {
      throw;
    } catch (const std::exception& e) {
      throw TorchScriptError(
          TorchScriptError::Part::kLoss,
          "the loss cannot be computed on the module's output: " + first_line(e));
    }
    if (loss.numel() != 1 || !loss.requires_grad())
      throw TorchScriptError(TorchScriptError::Part::kLoss,
                             "the loss must be one number that depends on the parameters, but "
                             "it has shape " +
                                 shape_text(loss.sizes()) +
                                 (loss.requires_grad() ? "" : " and no gradient"));
    outputs_classes_ = out.dim() == 2 && out.size(1) >= 2;
    // The rest of a run's path, in both modes: a gradient, then an evaluation.
    try {
      Vector g(initial_.size());
      batch_gradient(data, rows, initial_, g, 0);
      evaluate(data.subset(rows), initial_, true);
    } catch (const TorchScriptError&) {
      throw;  // Says already what failed.
    } catch (const std::exception& e) {
      throw TorchScriptError(TorchScriptError::Part::kFile,
                             "fails in a gradient or an evaluation: " + first_line(e));
    }
  }

 private:
  /// A replica taken from the free list (or a new copy of the module) and given back at the end.
  class Lease {
   public:
    explicit Lease(const TorchScriptObjective& owner) : owner_(owner) {
      {
        const std::lock_guard lock(owner_.mutex_);
        if (!owner_.free_.empty()) {
          replica_ = std::move(owner_.free_.back());
          owner_.free_.pop_back();
          return;
        }
      }
      replica_ = std::make_unique<Replica>(owner_.prototype_);
    }
    ~Lease() {
      const std::lock_guard lock(owner_.mutex_);
      owner_.free_.push_back(std::move(replica_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Replica* operator->() const { return replica_.get(); }
    Replica& operator*() const { return *replica_; }

   private:
    const TorchScriptObjective& owner_;
    std::unique_ptr<Replica> replica_;
  };

  /// Copies w into the replica's parameters (converted to their own type).
  void set_parameters(Replica& r, const ParamsView& w) const {
    const torch::NoGradGuard no_grad;
    for (std::size_t k = 0; k < r.params.size(); ++k) {
      at::Tensor& p = r.params[k];
      const at::Tensor source =
          torch::from_blob(const_cast<double*>(w.data() + offsets_[k]), {p.numel()}, at::kDouble);
      p.view(-1).copy_(source);
    }
  }

  /// g[offset, offset + grad's size) += grad, in double.
  static void add(const at::Tensor& grad, std::size_t offset, GradientView g) {
    if (!grad.defined()) return;  // The loss does not reach this parameter.
    auto into = g.segment(static_cast<Eigen::Index>(offset), grad.numel());
    if (grad.scalar_type() == at::kFloat && grad.is_contiguous()) {
      // The usual case, read where it lies: no converted copy per parameter per gradient.
      into +=
          Eigen::Map<const Eigen::VectorXf>(grad.data_ptr<float>(), grad.numel()).cast<double>();
      return;
    }
    const at::Tensor values = grad.to(at::kDouble).contiguous().reshape(-1);
    into += Eigen::Map<const Vector>(values.data_ptr<double>(), values.numel());
  }

  double regulariser(const ParamsView& w) const {
    return spec_.l2 > 0.0 ? 0.5 * spec_.l2 * w.squaredNorm() : 0.0;
  }

  /// The rows' features as a float batch of shape [rows, input_shape...].
  at::Tensor inputs(const Dataset& data, std::span<const std::size_t> rows) const {
    const auto n = static_cast<std::int64_t>(rows.size());
    const auto features = static_cast<std::int64_t>(data.features());
    // Dense rows fill every value; sparse ones only their non-zeros.
    at::Tensor x = data.is_sparse() ? at::zeros({n, features}, at::kFloat)
                                    : at::empty({n, features}, at::kFloat);
    float* out = x.data_ptr<float>();
    for (std::int64_t r = 0; r < n; ++r) {
      const auto i = static_cast<Eigen::Index>(rows[static_cast<std::size_t>(r)]);
      float* row = out + r * features;
      if (data.is_sparse()) {
        for (SparseRows::InnerIterator it(data.sparse_rows(), i); it; ++it)
          row[it.col()] = static_cast<float>(it.value());
      } else {
        const auto source = data.dense_rows().row(i);
        for (std::int64_t f = 0; f < features; ++f) row[f] = static_cast<float>(source[f]);
      }
    }
    if (dtype_ != at::kFloat) x = x.to(dtype_);
    if (spec_.input_shape.empty()) return x;
    std::vector<std::int64_t> shape = {n};
    shape.insert(shape.end(), spec_.input_shape.begin(), spec_.input_shape.end());
    return x.view(shape);
  }

  /// The rows' labels: class indices (int64), or values (float; always for mse).
  at::Tensor targets(const Dataset& data, std::span<const std::size_t> rows) const {
    const auto n = static_cast<std::int64_t>(rows.size());
    if (spec_.class_labels && loss_ != TorchLoss::kMse) {
      at::Tensor y = at::empty({n}, at::kLong);
      for (std::int64_t r = 0; r < n; ++r)
        y.data_ptr<std::int64_t>()[r] =
            static_cast<std::int64_t>(class_of(data.label(rows[static_cast<std::size_t>(r)])));
      return y;
    }
    at::Tensor y = at::empty({n}, at::kFloat);
    for (std::int64_t r = 0; r < n; ++r)
      y.data_ptr<float>()[r] = static_cast<float>(data.label(rows[static_cast<std::size_t>(r)]));
    return y;
  }

  /// Throws when the module's output on x does not fit the loss.
  void check_output(const at::Tensor& out, const at::Tensor& x) const {
    const std::int64_t n = x.size(0);
    if (loss_ == TorchLoss::kCrossEntropy &&
        (out.dim() != 2 || out.size(0) != n ||
         out.size(1) < static_cast<std::int64_t>(spec_.classes)))
      throw TorchScriptError(
          TorchScriptError::Part::kLoss,
          fmt::format("cross_entropy needs the module's output to be [batch, classes] with at "
                      "least the data's {} classes, but a batch of shape {} gives {}",
                      spec_.classes, shape_text(x.sizes()), shape_text(out.sizes())));
    if (loss_ == TorchLoss::kMse && out.numel() != n)
      throw TorchScriptError(
          TorchScriptError::Part::kLoss,
          fmt::format("mse needs one output per sample, but a batch of shape {} gives {}",
                      shape_text(x.sizes()), shape_text(out.sizes())));
  }

  /// The summed loss of the batch (x, y); the module's output goes to `out` when given.
  at::Tensor loss_of(Replica& r, const at::Tensor& x, const at::Tensor& y, at::Tensor* out) const {
    const double n = static_cast<double>(x.size(0));
    if (loss_ == TorchLoss::kModule) {
      if (out) *out = r.module.forward({x}).toTensor();
      return r.module.run_method("loss", x, y).toTensor() * n;
    }
    const at::Tensor z = r.module.forward({x}).toTensor();
    if (out) *out = z;
    if (loss_ == TorchLoss::kCrossEntropy)
      return at::cross_entropy_loss(z, y, {}, at::Reduction::Sum);
    return at::mse_loss(z.reshape({-1}), y.to(z.scalar_type()), at::Reduction::Sum);
  }

  /// The mean loss over the data, regulariser included, and (when `with_accuracy` and the model
  /// classifies) the accuracy, from one forward pass per chunk in evaluation mode.
  LossAndAccuracy evaluate(const Dataset& data, const ParamsView& w, bool with_accuracy) const {
    if (data.size() == 0) return {};
    with_accuracy = with_accuracy && is_classifier();
    const Lease replica(*this);
    replica->set_training(false);
    set_parameters(*replica, w);
    const torch::NoGradGuard no_grad;
    double sum = 0.0;
    std::int64_t right = 0;
    std::vector<std::size_t> rows;
    for (std::size_t first = 0; first < data.size(); first += kChunk) {
      rows.resize(std::min(kChunk, data.size() - first));
      std::iota(rows.begin(), rows.end(), first);
      const at::Tensor x = inputs(data, rows), y = targets(data, rows);
      at::Tensor out, loss;
      {
        // A module may draw even in evaluation mode (torch.rand in forward); it draws from a
        // seed of the chunk, in turn with the gradients.
        std::unique_lock<std::mutex> turn;
        if (random_) {
          turn = std::unique_lock(generator_turns());
          seed_generator(part_seed(0, first / kChunk));
        }
        loss = in_run("an evaluation", [&] { return loss_of(*replica, x, y, &out); });
      }
      sum += loss.item<double>();
      if (with_accuracy) right += out.argmax(1).eq(y).sum().item<std::int64_t>();
    }
    const auto n = static_cast<double>(data.size());
    return {sum / n + regulariser(w), with_accuracy ? static_cast<double>(right) / n : 0.0};
  }

  TorchScriptSpec spec_;
  torch::jit::Module prototype_;
  std::vector<std::size_t> offsets_;  ///< Where each parameter starts in the vector.
  std::size_t dimension_ = 0;
  Vector initial_;
  bool random_ = false;
  at::ScalarType dtype_ = at::kFloat;          ///< The parameters' type, which inputs take too.
  bool outputs_classes_ = true;                ///< The output is [batch, classes >= 2].
  TorchLoss loss_ = TorchLoss::kCrossEntropy;  ///< The loss in use, resolved.
  mutable std::mutex mutex_;                   ///< Guards free_.
  mutable std::vector<std::unique_ptr<Replica>> free_;
};

}  // namespace

}  // namespace sgdsim

/// The plugin's entry point, which models/torchscript_loader.cpp looks up by this name.
extern "C" std::shared_ptr<const sgdsim::Objective> sgdsim_torch_load(
    const sgdsim::TorchScriptSpec& spec, const sgdsim::Dataset& data) {
  using namespace sgdsim;
  // One thread per operation: the simulator's own threads are the parallelism, and a sum
  // split over a varying number of threads would not give the same bits.
  at::set_num_threads(1);
  torch::jit::Module module;
  try {
    module = torch::jit::load(spec.file);
  } catch (const std::exception& e) {
    throw TorchScriptError(TorchScriptError::Part::kFile,
                           "is not a TorchScript module saved by torch.jit.save "
                           "(torch.jit.script(model).save(path)): " +
                               first_line(e));
  }
  try {
    auto objective = std::make_shared<TorchScriptObjective>(std::move(module), spec);
    objective->check(data);
    return std::shared_ptr<const Objective>(std::move(objective));
  } catch (const TorchScriptError&) {
    throw;
  } catch (const std::exception& e) {
    throw TorchScriptError(TorchScriptError::Part::kFile, first_line(e));
  }
}
