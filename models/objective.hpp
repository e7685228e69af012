#pragma once
// Objectives as a small separable interface, after ensmallen's: f(w) = (1/n) sum_i f_i(w), where
// f_i includes the L2 term (l2 / 2) |w|^2, with the loss and gradient of one sample or a batch.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "models/dataset.hpp"

namespace sgdsim {

/// A separable objective over a dataset.
class Objective {
 public:
  virtual ~Objective() = default;

  /// Number of parameters for a dataset with `features` features.
  virtual std::size_t dimension(std::size_t features) const = 0;

  /// f_i(w): the loss of sample i, regulariser included.
  virtual double sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const = 0;

  /// g += scale * grad f_i(w).
  virtual void add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w,
                                   double scale, GradientView g) const = 0;

  /// True when the objective classifies (labels are classes), so accuracy means something.
  virtual bool is_classifier() const = 0;

  /// Whether sample i is classified correctly at w (classifiers only).
  virtual bool correct(const Dataset& data, std::size_t i, const ParamsView& w) const = 0;

  /// The parameters training starts from; zero unless the model needs random weights to break
  /// symmetry (`normal` draws standard normal numbers).
  virtual Vector initial(std::size_t features, const std::function<double()>& normal) const;

  /// True when a gradient draws random numbers (dropout): each batch then takes a seed of its
  /// own, and the same seed gives the same gradient.
  virtual bool is_random() const { return false; }

  /// The sum over `rows` of grad f_i(w), accumulated in the order given (so two callers that list
  /// the same rows in the same order get bit-identical sums). `g` (sized like w) is overwritten.
  /// `noise_seed` seeds the draws of a random objective; the others ignore it. Safe to call from
  /// several threads at once.
  virtual void batch_gradient(const Dataset& data, std::span<const std::size_t> rows,
                              const ParamsView& w, GradientView g, std::uint64_t noise_seed) const;
  /// batch_gradient with seed 0, for objectives that draw nothing.
  void batch_gradient(const Dataset& data, std::span<const std::size_t> rows, const ParamsView& w,
                      GradientView g) const {
    batch_gradient(data, rows, w, g, 0);
  }

  /// The mean of f_i(w) over the whole dataset.
  virtual double mean_loss(const Dataset& data, const ParamsView& w) const;

  /// The fraction of the dataset classified correctly at w (classifiers only).
  virtual double accuracy(const Dataset& data, const ParamsView& w) const;

  /// mean_loss and accuracy (0 for a non-classifier) together; an objective that gets both
  /// from one pass over the data (a forward pass each) overrides it.
  struct LossAndAccuracy {
    double loss = 0.0, accuracy = 0.0;
  };
  virtual LossAndAccuracy loss_and_accuracy(const Dataset& data, const ParamsView& w) const;
};

/// The loss of a linear model, as a function of the margin z = x . w and the label y.
enum class LinearLoss {
  kSquared,   ///< (z - y)^2 / 2: least squares.
  kLogistic,  ///< log(1 + exp(-y z)), labels -1 or +1: logistic regression.
  kHinge,     ///< max(0, 1 - y z), labels -1 or +1: a linear SVM (a subgradient at the kink).
};

/// Least squares, logistic regression or a hinge-loss SVM on x . w, with an L2 term.
class LinearObjective final : public Objective {
 public:
  LinearObjective(LinearLoss loss, double l2) : loss_(loss), l2_(l2) {}

  std::size_t dimension(std::size_t features) const override { return features; }
  double sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const override;
  void add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w, double scale,
                           GradientView g) const override;
  bool is_classifier() const override { return loss_ != LinearLoss::kSquared; }
  bool correct(const Dataset& data, std::size_t i, const ParamsView& w) const override;

  /// The loss of margin z for label y, and its derivative in z.
  double loss(double z, double y) const;
  double derivative(double z, double y) const;

 private:
  LinearLoss loss_;
  double l2_;
};

}  // namespace sgdsim
