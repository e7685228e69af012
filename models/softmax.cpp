#include "models/softmax.hpp"

#include <cmath>

#include "models/classes.hpp"

namespace sgdsim {

Vector softmax(const Vector& z) {
  const Vector e = (z.array() - z.maxCoeff()).exp();
  return e / e.sum();
}

double log_sum_exp(const Vector& z) {
  const double m = z.maxCoeff();
  return m + std::log((z.array() - m).exp().sum());
}

Vector SoftmaxObjective::scores(const Dataset& data, std::size_t i, const ParamsView& w) const {
  const auto d = static_cast<Eigen::Index>(data.features());
  Vector z(static_cast<Eigen::Index>(classes_));
  for (Eigen::Index k = 0; k < z.size(); ++k) z[k] = data.dot(i, w.segment(k * d, d));
  return z;
}

double SoftmaxObjective::sample_loss(const Dataset& data, std::size_t i,
                                     const ParamsView& w) const {
  const Vector z = scores(data, i, w);
  const double reg = l2_ > 0.0 ? 0.5 * l2_ * w.squaredNorm() : 0.0;
  return log_sum_exp(z) - z[static_cast<Eigen::Index>(class_of(data.label(i)))] + reg;
}

void SoftmaxObjective::add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w,
                                           double scale, GradientView g) const {
  const auto d = static_cast<Eigen::Index>(data.features());
  Vector p = softmax(scores(data, i, w));
  p[static_cast<Eigen::Index>(class_of(data.label(i)))] -= 1.0;
  for (Eigen::Index k = 0; k < p.size(); ++k) data.add_row(i, scale * p[k], g.segment(k * d, d));
  if (l2_ > 0.0) g.noalias() += (scale * l2_) * w;
}

bool SoftmaxObjective::correct(const Dataset& data, std::size_t i, const ParamsView& w) const {
  Eigen::Index best;
  scores(data, i, w).maxCoeff(&best);
  return static_cast<std::size_t>(best) == class_of(data.label(i));
}

}  // namespace sgdsim
