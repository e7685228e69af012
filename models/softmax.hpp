#pragma once
// Softmax (multinomial logistic) regression: one weight row per class, cross-entropy loss.

#include "models/objective.hpp"

namespace sgdsim {

/// Softmax regression with K classes; parameters are the K x d weight matrix, row by row.
class SoftmaxObjective final : public Objective {
 public:
  SoftmaxObjective(std::size_t classes, double l2) : classes_(classes), l2_(l2) {}

  std::size_t dimension(std::size_t features) const override { return classes_ * features; }
  double sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const override;
  void add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w, double scale,
                           GradientView g) const override;
  bool is_classifier() const override { return true; }
  bool correct(const Dataset& data, std::size_t i, const ParamsView& w) const override;

 private:
  /// The K scores x_i . W_k.
  Vector scores(const Dataset& data, std::size_t i, const ParamsView& w) const;

  std::size_t classes_;
  double l2_;
};

/// Softmax probabilities of scores z, computed stably (the largest score is subtracted first).
Vector softmax(const Vector& z);

/// log(sum(exp(z))), computed stably.
double log_sum_exp(const Vector& z);

}  // namespace sgdsim
