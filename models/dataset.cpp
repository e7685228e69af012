#include "models/dataset.hpp"

#include <stdexcept>
#include <vector>

namespace sgdsim {

Dataset Dataset::dense(DenseRows features, Vector labels) {
  if (features.rows() != labels.size())
    throw std::invalid_argument("a dataset needs one label per sample");
  Dataset d;
  d.features_ = static_cast<std::size_t>(features.cols());
  d.dense_ = std::move(features);
  d.labels_ = std::move(labels);
  return d;
}

Dataset Dataset::sparse(SparseRows features, Vector labels) {
  if (features.rows() != labels.size())
    throw std::invalid_argument("a dataset needs one label per sample");
  Dataset d;
  features.makeCompressed();
  d.features_ = static_cast<std::size_t>(features.cols());
  d.sparse_rows_ = std::move(features);
  d.labels_ = std::move(labels);
  d.sparse_ = true;
  return d;
}

double Dataset::dot(std::size_t i, const Eigen::Ref<const Vector>& w) const {
  const auto row = static_cast<Eigen::Index>(i);
  if (!sparse_) return dense_.row(row).dot(w);
  // Summed in storage order (ascending feature index), the same on every platform.
  double sum = 0.0;
  for (SparseRows::InnerIterator it(sparse_rows_, row); it; ++it) sum += it.value() * w[it.index()];
  return sum;
}

void Dataset::add_row(std::size_t i, double scale, Eigen::Ref<Vector> g) const {
  const auto row = static_cast<Eigen::Index>(i);
  if (!sparse_) {
    g.noalias() += scale * dense_.row(row).transpose();
    return;
  }
  for (SparseRows::InnerIterator it(sparse_rows_, row); it; ++it)
    g[it.index()] += scale * it.value();
}

Dataset Dataset::subset(std::span<const std::size_t> rows) const {
  Vector labels(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t k = 0; k < rows.size(); ++k)
    labels[static_cast<Eigen::Index>(k)] = labels_[static_cast<Eigen::Index>(rows[k])];
  if (!sparse_) {
    DenseRows x(static_cast<Eigen::Index>(rows.size()), dense_.cols());
    for (std::size_t k = 0; k < rows.size(); ++k)
      x.row(static_cast<Eigen::Index>(k)) = dense_.row(static_cast<Eigen::Index>(rows[k]));
    return dense(std::move(x), std::move(labels));
  }
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  for (std::size_t k = 0; k < rows.size(); ++k)
    for (SparseRows::InnerIterator it(sparse_rows_, static_cast<Eigen::Index>(rows[k])); it; ++it)
      entries.emplace_back(static_cast<std::int64_t>(k), it.index(), it.value());
  SparseRows x(static_cast<Eigen::Index>(rows.size()), sparse_rows_.cols());
  x.setFromTriplets(entries.begin(), entries.end());
  return sparse(std::move(x), std::move(labels));
}

}  // namespace sgdsim
