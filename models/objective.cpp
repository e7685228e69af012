#include "models/objective.hpp"

#include <algorithm>
#include <cmath>

namespace sgdsim {

void Objective::batch_gradient(const Dataset& data, std::span<const std::size_t> rows,
                               const ParamsView& w, GradientView g, std::uint64_t) const {
  g.setZero();
  for (std::size_t i : rows) add_sample_gradient(data, i, w, 1.0, g);
}

Vector Objective::initial(std::size_t features, const std::function<double()>&) const {
  return Vector::Zero(static_cast<Eigen::Index>(dimension(features)));
}

double Objective::mean_loss(const Dataset& data, const ParamsView& w) const {
  if (data.size() == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < data.size(); ++i) sum += sample_loss(data, i, w);
  return sum / static_cast<double>(data.size());
}

Objective::LossAndAccuracy Objective::loss_and_accuracy(const Dataset& data,
                                                        const ParamsView& w) const {
  return {mean_loss(data, w), is_classifier() ? accuracy(data, w) : 0.0};
}

double Objective::accuracy(const Dataset& data, const ParamsView& w) const {
  if (data.size() == 0) return 0.0;
  std::size_t right = 0;
  for (std::size_t i = 0; i < data.size(); ++i) right += correct(data, i, w) ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(data.size());
}

double LinearObjective::loss(double z, double y) const {
  switch (loss_) {
    case LinearLoss::kSquared:
      return 0.5 * (z - y) * (z - y);
    case LinearLoss::kLogistic: {
      // log(1 + exp(-m)) without overflow for large |m|.
      const double m = y * z;
      return m > 0.0 ? std::log1p(std::exp(-m)) : -m + std::log1p(std::exp(m));
    }
    case LinearLoss::kHinge:
      return std::max(0.0, 1.0 - y * z);
  }
  return 0.0;
}

double LinearObjective::derivative(double z, double y) const {
  switch (loss_) {
    case LinearLoss::kSquared:
      return z - y;
    case LinearLoss::kLogistic: {
      // -y * sigmoid(-y z), written so that exp never overflows.
      const double m = y * z;
      const double s = m > 0.0 ? std::exp(-m) / (1.0 + std::exp(-m)) : 1.0 / (1.0 + std::exp(m));
      return -y * s;
    }
    case LinearLoss::kHinge:
      return y * z < 1.0 ? -y : 0.0;
  }
  return 0.0;
}

double LinearObjective::sample_loss(const Dataset& data, std::size_t i, const ParamsView& w) const {
  const double reg = l2_ > 0.0 ? 0.5 * l2_ * w.squaredNorm() : 0.0;
  return loss(data.dot(i, w), data.label(i)) + reg;
}

void LinearObjective::add_sample_gradient(const Dataset& data, std::size_t i, const ParamsView& w,
                                          double scale, GradientView g) const {
  const double d = derivative(data.dot(i, w), data.label(i));
  if (d != 0.0) data.add_row(i, scale * d, g);
  if (l2_ > 0.0) g.noalias() += (scale * l2_) * w;
}

bool LinearObjective::correct(const Dataset& data, std::size_t i, const ParamsView& w) const {
  return (data.dot(i, w) >= 0.0 ? 1.0 : -1.0) == data.label(i);
}

}  // namespace sgdsim
