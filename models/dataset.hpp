#pragma once
// Labelled samples, with dense or CSR-sparse features.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cstdint>
#include <span>

namespace sgdsim {

/// A vector of model parameters or of labels.
using Vector = Eigen::VectorXd;
/// Read-only parameters: a Vector, or a view of one (a snapshot's memory, a shard's slice).
using ParamsView = Eigen::Ref<const Vector>;
/// A writable gradient: a Vector, or a view of one.
using GradientView = Eigen::Ref<Vector>;
/// Dense features, one sample per row.
using DenseRows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Sparse features in compressed sparse row (CSR) form, one sample per row.
using SparseRows = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;

/// Samples (rows of features) and their labels. The two operations objectives need, a row's dot
/// product with the parameters and adding a scaled row to a gradient, touch only the stored
/// entries of a sparse row, so a sparse gradient costs its non-zeros, not the dimension.
class Dataset {
 public:
  /// An empty dataset.
  Dataset() = default;

  /// Dense features; `labels` has one entry per row.
  static Dataset dense(DenseRows features, Vector labels);

  /// Sparse features; `labels` has one entry per row.
  static Dataset sparse(SparseRows features, Vector labels);

  std::size_t size() const { return static_cast<std::size_t>(labels_.size()); }
  std::size_t features() const { return features_; }
  bool is_sparse() const { return sparse_; }
  const Vector& labels() const { return labels_; }
  double label(std::size_t i) const { return labels_[static_cast<Eigen::Index>(i)]; }

  /// x_i · w (w may be a segment of a longer vector, such as one row of a weight matrix).
  double dot(std::size_t i, const Eigen::Ref<const Vector>& w) const;

  /// g += scale * x_i (g may be a segment of a longer vector).
  void add_row(std::size_t i, double scale, Eigen::Ref<Vector> g) const;

  /// The rows listed, in that order, as a dataset of their own.
  Dataset subset(std::span<const std::size_t> rows) const;

  /// The feature storage (only the one matching is_sparse() is filled).
  const DenseRows& dense_rows() const { return dense_; }
  const SparseRows& sparse_rows() const { return sparse_rows_; }

 private:
  DenseRows dense_;
  SparseRows sparse_rows_;
  Vector labels_;
  std::size_t features_ = 0;
  bool sparse_ = false;
};

}  // namespace sgdsim
