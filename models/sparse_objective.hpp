#pragma once
// Objectives whose every term touches only a few coordinates of the model: the hyperedges of
// HOGWILD! (Niu, Recht, Re and Wright 2011). Both the simulated HOGWILD! protocol and the real
// threaded backend read and write a model through this interface, one term's coordinates at a time.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "models/dataset.hpp"
#include "models/objective.hpp"

namespace sgdsim {

/// How an update of term e is written to a model that others write too (HOGWILD!), in the
/// simulator and on the threaded backend alike.
enum class WriteSemantics {
  kAtomicAdd,  ///< x_v += -step g_v, component-wise atomic: no update is ever lost.
  kRacy,       ///< x_v = x_v(as read) - step g_v: writes since the read are overwritten (lost).
};

/// f(x) = (1/n) sum_e f_e(x_e), where term e reads and writes only the coordinates support(e).
class SparseObjective {
 public:
  /// A coordinate of the model.
  using Index = std::int64_t;

  virtual ~SparseObjective() = default;

  /// Number of parameters of the model.
  virtual std::size_t dimension() const = 0;

  /// Number of terms n (samples, ratings).
  virtual std::size_t terms() const = 0;

  /// The coordinates term e touches, ascending and without repeats.
  virtual std::span<const Index> support(std::size_t e) const = 0;

  /// f_e, given x_e: the values of support(e), in that order.
  virtual double loss(std::size_t e, std::span<const double> x_e) const = 0;

  /// The gradient of f_e at x_e over support(e), in that order, written into g_e.
  virtual void gradient(std::size_t e, std::span<const double> x_e,
                        std::span<double> g_e) const = 0;

  /// True when the terms are labelled samples of two classes, so accuracy means something.
  virtual bool is_classifier() const { return false; }

  /// Whether term e is classified right at x_e (classifiers only).
  virtual bool correct(std::size_t /*e*/, std::span<const double> /*x_e*/) const { return false; }

  /// The parameters training starts from: zero unless the model needs random values to break
  /// symmetry (`normal` draws standard normal numbers).
  virtual std::vector<double> initial(const std::function<double()>& normal) const;

  /// The mean of f_e(x) over every term, at the whole model x.
  double mean_loss(std::span<const double> x) const;

  /// The fraction of terms classified right at x (classifiers only).
  double accuracy(std::span<const double> x) const;

  /// The values of support(e) in x, in that order, into x_e (resized).
  void gather(std::size_t e, std::span<const double> x, std::vector<double>& x_e) const;
};

/// The sum of values[k] x(k) over k < size, in four interleaved partial sums (k = 0, 1, 2, 3 mod
/// 4, then the rest into the first) added as (s0 + s1) + (s2 + s3): four independent chains of
/// additions instead of one, which a sparse row's margin is otherwise bound by. x(k) is called
/// once for each k, in order, so it may load the entry too. Every margin of a sparse linear model,
/// simulated or on threads, is summed this way, so that they agree bit for bit.
/// Always inlined: then x's captures live in registers, which an atomic load in x would otherwise
/// make the compiler reload from memory at every entry.
template <typename Entry>
[[gnu::always_inline]] inline double sparse_dot(const double* values, std::size_t size, Entry x) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  std::size_t k = 0;
  for (; k + 4 <= size; k += 4) {
    s0 += values[k] * x(k);
    s1 += values[k + 1] * x(k + 1);
    s2 += values[k + 2] * x(k + 2);
    s3 += values[k + 3] * x(k + 3);
  }
  for (; k < size; ++k) s0 += values[k] * x(k);
  return (s0 + s1) + (s2 + s3);
}

/// A linear model on sparse samples (hinge-loss SVM, logistic regression or least squares) with
/// HOGWILD!'s per-feature regulariser scaling: term e carries (n l2 / 2) x_u^2 / d_u for every
/// feature u of sample e, where d_u counts the samples that have feature u. So each term touches
/// only its sample's features, and the mean over terms is the usual loss plus (l2 / 2) |x|^2 (over
/// the features that occur): the same objective as LinearObjective with the same `l2`.
class SparseLinearObjective final : public SparseObjective {
 public:
  /// `data` must be sparse (Dataset::sparse); it is shared, not copied.
  SparseLinearObjective(std::shared_ptr<const Dataset> data, LinearLoss loss, double l2);

  std::size_t dimension() const override { return data_->features(); }
  std::size_t terms() const override { return data_->size(); }
  std::span<const Index> support(std::size_t e) const override;
  double loss(std::size_t e, std::span<const double> x_e) const override;
  void gradient(std::size_t e, std::span<const double> x_e, std::span<double> g_e) const override;
  bool is_classifier() const override { return link_.is_classifier(); }
  bool correct(std::size_t e, std::span<const double> x_e) const override;

  /// Sample e laid out for an update fused into two passes (hogwild/update.hpp): its features as
  /// 32-bit columns, its values, its label, and the per-feature weights (n l2 / 2) / d_u, so that
  /// the gradient of f_e at x_e is derivative(sparse_dot(values, x_e), label) values[k] +
  /// 2 regulariser[columns[k]] x_e[k] (without the first term when the derivative is 0), the
  /// numbers gradient() computes.
  struct Row {
    std::span<const std::uint32_t> columns;
    const double* values;
    const double* regulariser;  ///< Indexed by feature, not by k.
    double label;
  };

  /// Sample e as a Row.
  Row row(std::size_t e) const {
    const auto begin = static_cast<std::size_t>(offsets_[e]);
    const auto end = static_cast<std::size_t>(offsets_[e + 1]);
    return {
        {columns_.data() + begin, end - begin}, values_ + begin, regulariser_.data(), labels_[e]};
  }

  /// The derivative of the loss at margin z for label y.
  double derivative(double z, double y) const { return link_.derivative(z, y); }

 private:
  /// x_e . (the values of sample e).
  double margin(std::size_t e, std::span<const double> x_e) const;

  std::shared_ptr<const Dataset> data_;
  LinearObjective link_;  ///< Supplies the loss of a margin and its derivative.
  /// (n l2 / 2) / d_u for every feature u.
  std::vector<double> regulariser_;
  // The rows as row() gives them: pointers into data_ (which outlives them), and a copy of the
  // columns in 32 bits, half the bytes an update streams for them.
  const SparseRows::StorageIndex* offsets_;
  const double* values_;
  const double* labels_;
  std::vector<std::uint32_t> columns_;
};

/// Low-rank matrix factorisation (Netflix-style completion), HOGWILD!'s third example: a rating r
/// of item i by user u is the term (L_u . R_i - r)^2 / 2 plus the scaled regulariser of each
/// factor row, (n l2 / 2) |L_u|^2 / d_u and (n l2 / 2) |R_i|^2 / d_i. The model is L (users x
/// rank) followed by R (items x rank), row by row.
///
/// Ratings come as a sparse dataset with one row per rating: two entries, in column u (the user)
/// and in column users + i (the item), and the rating as label; `data.source: ratings` makes them.
class MatrixFactorisationObjective final : public SparseObjective {
 public:
  MatrixFactorisationObjective(std::shared_ptr<const Dataset> ratings, std::size_t users,
                               std::size_t rank, double l2);

  std::size_t dimension() const override { return (users_ + items_) * rank_; }
  std::size_t terms() const override { return ratings_->size(); }
  std::span<const Index> support(std::size_t e) const override;
  double loss(std::size_t e, std::span<const double> x_e) const override;
  void gradient(std::size_t e, std::span<const double> x_e, std::span<double> g_e) const override;
  /// Small random factors (standard normal / sqrt(rank)): zero factors are a saddle point.
  std::vector<double> initial(const std::function<double()>& normal) const override;

 private:
  std::shared_ptr<const Dataset> ratings_;
  std::size_t users_, items_, rank_;
  std::vector<Index> supports_;      ///< 2 rank coordinates per rating, L_u's then R_i's.
  std::vector<double> user_weight_;  ///< (n l2 / 2) / d_u per user.
  std::vector<double> item_weight_;  ///< (n l2 / 2) / d_i per item.
  std::vector<std::uint32_t> user_of_, item_of_;  ///< Per rating.
};

}  // namespace sgdsim
