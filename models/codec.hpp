#pragma once
// Gradient compression: QSGD's stochastic quantisation (Alistarh et al. 2017) and top-k
// sparsification with error feedback, each with the exact size of what it puts on the wire.

#include <cmath>
#include <cstdint>
#include <vector>

#include "models/dataset.hpp"

namespace sgdsim {

/// Bits of the Elias gamma code of n >= 1: 2 floor(log2 n) + 1.
std::uint64_t elias_gamma_bits(std::uint64_t n);

/// QSGD with `levels` = s quantisation levels. A coordinate v_i becomes |v| sign(v_i) xi_i / s,
/// where xi_i is l + 1 with probability p_i = s |v_i| / |v| - l (l = floor(s |v_i| / |v|)) and l
/// otherwise, so the result is unbiased, with variance (|v|^2 / s^2) sum_i p_i (1 - p_i).
///
/// The encoding: the norm as a 32-bit float, then for every non-zero level, the Elias gamma code
/// of the gap to the previous non-zero index (plus one), one sign bit, and the Elias gamma code of
/// the level.
class Qsgd {
 public:
  explicit Qsgd(std::uint32_t levels) : levels_(levels) {}

  /// Quantises `v` in place, drawing from `uniform01` (a source of uniforms on [0, 1)), and
  /// returns the size of its encoding in bits.
  template <typename Rng>
  std::uint64_t quantize(GradientView v, Rng& rng) const;

  /// The variance the quantisation of `v` adds, summed over coordinates (the formula above).
  double variance(const ParamsView& v) const;

  std::uint32_t levels() const { return levels_; }

 private:
  std::uint32_t levels_;
};

/// Top-k sparsification with error feedback: what is not sent is remembered and added to the next
/// gradient, so nothing is ever lost (Stich et al. 2018).
class TopK {
 public:
  /// Keeps the `k` largest coordinates of vectors of `dimension` coordinates.
  TopK(std::size_t k, std::size_t dimension);

  /// Adds the residual to `g`, keeps the k largest magnitudes in `g` (ties to the lower index),
  /// moves the rest to the residual, and returns the encoding's size in bits: a 32-bit count,
  /// then a 32-bit index and a 32-bit float per kept coordinate.
  std::uint64_t sparsify(GradientView g);

  /// What has not been sent yet.
  const Vector& residual() const { return residual_; }

 private:
  std::size_t k_;
  Vector residual_;
  std::vector<std::size_t> order_;  ///< Scratch, reused.
};

template <typename Rng>
std::uint64_t Qsgd::quantize(GradientView v, Rng& rng) const {
  const double norm = v.norm();
  std::uint64_t bits = 32;
  if (norm == 0.0) return bits;
  const double s = levels_;
  std::uint64_t last = 0;  // One past the previous non-zero index.
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const double scaled = s * std::abs(v[i]) / norm;
    const double lower = std::floor(scaled);
    const double level = rng.uniform01() < scaled - lower ? lower + 1.0 : lower;
    const double sign = v[i] < 0.0 ? -1.0 : 1.0;
    v[i] = norm * sign * level / s;
    if (level != 0.0) {
      const auto index = static_cast<std::uint64_t>(i) + 1;
      bits +=
          elias_gamma_bits(index - last) + 1 + elias_gamma_bits(static_cast<std::uint64_t>(level));
      last = index;
    }
  }
  return bits;
}

}  // namespace sgdsim
