#include "models/codec.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace sgdsim {

std::uint64_t elias_gamma_bits(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("Elias gamma codes start at 1");
  return 2 * static_cast<std::uint64_t>(std::bit_width(n) - 1) + 1;
}

double Qsgd::variance(const ParamsView& v) const {
  const double norm = v.norm();
  if (norm == 0.0) return 0.0;
  const double s = levels_;
  double sum = 0.0;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const double scaled = s * std::abs(v[i]) / norm;
    const double p = scaled - std::floor(scaled);
    sum += p * (1.0 - p);
  }
  return norm * norm / (s * s) * sum;
}

TopK::TopK(std::size_t k, std::size_t dimension)
    : k_(std::min(k, dimension)), residual_(Vector::Zero(static_cast<Eigen::Index>(dimension))) {}

std::uint64_t TopK::sparsify(GradientView g) {
  g += residual_;
  order_.resize(static_cast<std::size_t>(g.size()));
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  // The k largest magnitudes; ties go to the lower index, so the choice never depends on the
  // sort's implementation.
  std::nth_element(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(k_), order_.end(),
                   [&g](std::size_t a, std::size_t b) {
                     const double ma = std::abs(g[static_cast<Eigen::Index>(a)]);
                     const double mb = std::abs(g[static_cast<Eigen::Index>(b)]);
                     return ma != mb ? ma > mb : a < b;
                   });
  residual_ = g;
  for (std::size_t r = 0; r < k_; ++r) residual_[static_cast<Eigen::Index>(order_[r])] = 0.0;
  for (std::size_t r = k_; r < order_.size(); ++r) g[static_cast<Eigen::Index>(order_[r])] = 0.0;
  return 32 + 64 * static_cast<std::uint64_t>(k_);
}

}  // namespace sgdsim
