#pragma once
// Synthetic datasets a teacher can tune. Each generator takes any random source with
// uniform01(), uniform_below(n) and standard_normal() (sim's RandomStream, in practice), so the
// same seed gives the same data on every platform.

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/dataset.hpp"

namespace sgdsim {

/// Linear regression: x ~ N(0, I), y = x . w* + noise, w* ~ N(0, I).
struct RegressionSpec {
  std::size_t samples = 1000;
  std::size_t features = 10;
  double noise = 0.1;  ///< Standard deviation of the label noise.
};

/// Ratings of items by users from a low-rank matrix: L (users x rank) and R (items x rank) are
/// standard normal / rank^(1/4), so a rating L_u . R_i has unit variance, plus Gaussian noise.
/// Each rating names a user and an item drawn uniformly (a pair may repeat).
struct RatingsSpec {
  std::size_t users = 100;
  std::size_t items = 100;
  std::size_t rank = 5;
  std::size_t ratings = 2000;
  double noise = 0.1;  ///< Standard deviation of the rating noise.
};

/// Two classes (-1, +1) split by a random hyperplane through the origin.
struct ClassificationSpec {
  std::size_t samples = 1000;
  std::size_t features = 10;
  double margin = 0.0;       ///< Samples closer than this to the hyperplane are redrawn.
  double label_noise = 0.0;  ///< Probability that a label is flipped.
};

/// Sparse two-class data: each sample has `nonzeros` features, drawn with probability proportional
/// to 1 / (j + 1)^skew, so a skew of 0 spreads them evenly and a larger skew makes a few features
/// common to most samples (which is what makes HOGWILD!'s updates collide).
struct SparseSpec {
  std::size_t samples = 1000;
  std::size_t features = 10000;
  std::size_t nonzeros = 10;
  double skew = 0.0;
  double label_noise = 0.0;
};

/// Two classes no hyperplane separates: x ~ N(0, I) in `features` >= 2 dimensions, class +1 when
/// the first two coordinates lie outside the circle of radius sqrt(2 ln 2) (half the samples).
struct RingsSpec {
  std::size_t samples = 1000;
  std::size_t features = 2;
  double label_noise = 0.0;
};

/// `classes` Gaussian clusters, labelled 0..classes-1: centres ~ N(0, spread^2 I), points around
/// them ~ N(centre, I).
struct BlobsSpec {
  std::size_t samples = 1000;
  std::size_t features = 10;
  std::size_t classes = 3;
  double spread = 3.0;
};

/// `n` standard normal draws, in order.
template <typename Rng>
Vector standard_normal_vector(Eigen::Index n, Rng& rng) {
  Vector v(n);
  for (Eigen::Index j = 0; j < n; ++j) v[j] = rng.standard_normal();
  return v;
}

/// Draws the rings data.
template <typename Rng>
Dataset rings(const RingsSpec& spec, Rng& rng) {
  const auto n = static_cast<Eigen::Index>(spec.samples);
  const auto d = static_cast<Eigen::Index>(std::max<std::size_t>(spec.features, 2));
  DenseRows x(n, d);
  Vector y(n);
  const double r2 = 2.0 * std::log(2.0);  // The median of a chi-square with 2 degrees of freedom.
  for (Eigen::Index i = 0; i < n; ++i) {
    x.row(i) = standard_normal_vector(d, rng).transpose();
    y[i] = x(i, 0) * x(i, 0) + x(i, 1) * x(i, 1) > r2 ? 1.0 : -1.0;
    if (rng.uniform01() < spec.label_noise) y[i] = -y[i];
  }
  return Dataset::dense(std::move(x), std::move(y));
}

/// Draws the blobs data.
template <typename Rng>
Dataset blobs(const BlobsSpec& spec, Rng& rng) {
  const auto n = static_cast<Eigen::Index>(spec.samples),
             d = static_cast<Eigen::Index>(spec.features);
  const auto k = static_cast<Eigen::Index>(spec.classes);
  DenseRows centres(k, d);
  for (Eigen::Index c = 0; c < k; ++c)
    for (Eigen::Index j = 0; j < d; ++j) centres(c, j) = spec.spread * rng.standard_normal();
  DenseRows x(n, d);
  Vector y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto c = static_cast<Eigen::Index>(rng.uniform_below(spec.classes));
    for (Eigen::Index j = 0; j < d; ++j) x(i, j) = centres(c, j) + rng.standard_normal();
    y[i] = static_cast<double>(c);
  }
  return Dataset::dense(std::move(x), std::move(y));
}

/// Draws the regression data; `truth`, when given, receives w*.
template <typename Rng>
Dataset linear_regression(const RegressionSpec& spec, Rng& rng, Vector* truth = nullptr) {
  const auto n = static_cast<Eigen::Index>(spec.samples),
             d = static_cast<Eigen::Index>(spec.features);
  const Vector w = standard_normal_vector(d, rng);
  DenseRows x(n, d);
  Vector y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x.row(i) = standard_normal_vector(d, rng).transpose();
    y[i] = x.row(i).dot(w) + spec.noise * rng.standard_normal();
  }
  if (truth) *truth = w;
  return Dataset::dense(std::move(x), std::move(y));
}

/// Draws the classification data; `truth`, when given, receives the unit normal of the hyperplane.
template <typename Rng>
Dataset logistic_classification(const ClassificationSpec& spec, Rng& rng, Vector* truth = nullptr) {
  const auto n = static_cast<Eigen::Index>(spec.samples),
             d = static_cast<Eigen::Index>(spec.features);
  const Vector w = standard_normal_vector(d, rng).normalized();
  DenseRows x(n, d);
  Vector y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double z;
    do {
      x.row(i) = standard_normal_vector(d, rng).transpose();
      z = x.row(i).dot(w);
    } while (std::abs(z) < spec.margin);
    y[i] = z >= 0.0 ? 1.0 : -1.0;
    if (rng.uniform01() < spec.label_noise) y[i] = -y[i];
  }
  if (truth) *truth = w;
  return Dataset::dense(std::move(x), std::move(y));
}

/// Draws the sparse data. Feature indices are drawn by inverting the cumulative Zipf weights.
template <typename Rng>
Dataset sparse_classification(const SparseSpec& spec, Rng& rng) {
  const std::size_t d = spec.features;
  std::vector<double> cumulative(d);
  double total = 0.0;
  for (std::size_t j = 0; j < d; ++j) cumulative[j] = total += std::pow(double(j + 1), -spec.skew);
  const Vector w = standard_normal_vector(static_cast<Eigen::Index>(d), rng);
  const std::size_t k = std::min(spec.nonzeros, d);
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  Vector y(static_cast<Eigen::Index>(spec.samples));
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < spec.samples; ++i) {
    chosen.clear();
    while (chosen.size() < k) {
      const double u = rng.uniform01() * total;
      const auto j = static_cast<std::size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      if (j < d && std::find(chosen.begin(), chosen.end(), j) == chosen.end()) chosen.push_back(j);
    }
    std::sort(chosen.begin(), chosen.end());
    double z = 0.0;
    for (std::size_t j : chosen) {
      const double v = rng.standard_normal();
      entries.emplace_back(static_cast<std::int64_t>(i), static_cast<std::int64_t>(j), v);
      z += v * w[static_cast<Eigen::Index>(j)];
    }
    double label = z >= 0.0 ? 1.0 : -1.0;
    if (rng.uniform01() < spec.label_noise) label = -label;
    y[static_cast<Eigen::Index>(i)] = label;
  }
  SparseRows x(static_cast<Eigen::Index>(spec.samples), static_cast<Eigen::Index>(d));
  x.setFromTriplets(entries.begin(), entries.end());
  return Dataset::sparse(std::move(x), std::move(y));
}

/// Draws ratings as a sparse dataset, one row per rating: 1 in column u (the user) and in column
/// users + i (the item), the rating as label (what MatrixFactorisationObjective reads).
template <typename Rng>
Dataset low_rank_ratings(const RatingsSpec& spec, Rng& rng) {
  const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(spec.rank)));
  const auto rank = static_cast<Eigen::Index>(spec.rank);
  DenseRows l(static_cast<Eigen::Index>(spec.users), rank),
      r(static_cast<Eigen::Index>(spec.items), rank);
  for (Eigen::Index u = 0; u < l.rows(); ++u) l.row(u) = scale * standard_normal_vector(rank, rng);
  for (Eigen::Index i = 0; i < r.rows(); ++i) r.row(i) = scale * standard_normal_vector(rank, rng);
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  Vector y(static_cast<Eigen::Index>(spec.ratings));
  for (std::size_t e = 0; e < spec.ratings; ++e) {
    const auto u = static_cast<Eigen::Index>(rng.uniform_below(spec.users));
    const auto i = static_cast<Eigen::Index>(rng.uniform_below(spec.items));
    const auto row = static_cast<std::int64_t>(e);
    entries.emplace_back(row, u, 1.0);
    entries.emplace_back(row, static_cast<std::int64_t>(spec.users) + i, 1.0);
    y[static_cast<Eigen::Index>(e)] = l.row(u).dot(r.row(i)) + spec.noise * rng.standard_normal();
  }
  SparseRows x(static_cast<Eigen::Index>(spec.ratings),
               static_cast<Eigen::Index>(spec.users + spec.items));
  x.setFromTriplets(entries.begin(), entries.end());
  return Dataset::sparse(std::move(x), std::move(y));
}

}  // namespace sgdsim
