#include "models/sparse_objective.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sgdsim {
namespace {

/// The per-feature regulariser weights (n l2 / 2) / d_u of a sparse dataset's columns (0 for a
/// column no sample has).
std::vector<double> degree_weights(const SparseRows& rows, std::size_t columns, double l2) {
  std::vector<std::size_t> degree(columns, 0);
  for (Eigen::Index k = 0; k < rows.nonZeros(); ++k) ++degree[rows.innerIndexPtr()[k]];
  std::vector<double> weight(columns, 0.0);
  const double total = 0.5 * l2 * static_cast<double>(rows.rows());
  for (std::size_t u = 0; u < columns; ++u)
    if (degree[u] > 0) weight[u] = total / static_cast<double>(degree[u]);
  return weight;
}

}  // namespace

std::vector<double> SparseObjective::initial(const std::function<double()>&) const {
  return std::vector<double>(dimension(), 0.0);
}

void SparseObjective::gather(std::size_t e, std::span<const double> x,
                             std::vector<double>& x_e) const {
  const std::span<const Index> s = support(e);
  x_e.resize(s.size());
  for (std::size_t k = 0; k < s.size(); ++k) x_e[k] = x[static_cast<std::size_t>(s[k])];
}

double SparseObjective::mean_loss(std::span<const double> x) const {
  if (terms() == 0) return 0.0;
  std::vector<double> x_e;
  double sum = 0.0;
  for (std::size_t e = 0; e < terms(); ++e) {
    gather(e, x, x_e);
    sum += loss(e, x_e);
  }
  return sum / static_cast<double>(terms());
}

double SparseObjective::accuracy(std::span<const double> x) const {
  if (terms() == 0) return 0.0;
  std::vector<double> x_e;
  std::size_t right = 0;
  for (std::size_t e = 0; e < terms(); ++e) {
    gather(e, x, x_e);
    right += correct(e, x_e) ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(terms());
}

SparseLinearObjective::SparseLinearObjective(std::shared_ptr<const Dataset> data, LinearLoss loss,
                                             double l2)
    : data_(std::move(data)), link_(loss, 0.0) {
  if (!data_->is_sparse())
    throw std::invalid_argument("SparseLinearObjective needs a sparse dataset");
  const SparseRows& rows = data_->sparse_rows();
  regulariser_ = degree_weights(rows, data_->features(), l2);
  if (data_->features() > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("SparseLinearObjective takes at most 2^32 - 1 features");
  offsets_ = rows.outerIndexPtr();
  values_ = rows.valuePtr();
  labels_ = data_->labels().data();
  columns_.assign(rows.innerIndexPtr(), rows.innerIndexPtr() + rows.nonZeros());
}

std::span<const SparseObjective::Index> SparseLinearObjective::support(std::size_t e) const {
  const SparseRows& rows = data_->sparse_rows();
  const auto begin = rows.outerIndexPtr()[e], end = rows.outerIndexPtr()[e + 1];
  return {rows.innerIndexPtr() + begin, static_cast<std::size_t>(end - begin)};
}

double SparseLinearObjective::margin(std::size_t e, std::span<const double> x_e) const {
  const SparseRows& rows = data_->sparse_rows();
  return sparse_dot(rows.valuePtr() + rows.outerIndexPtr()[e], x_e.size(),
                    [&x_e](std::size_t k) { return x_e[k]; });
}

double SparseLinearObjective::loss(std::size_t e, std::span<const double> x_e) const {
  const std::span<const Index> s = support(e);
  double reg = 0.0;
  for (std::size_t k = 0; k < s.size(); ++k)
    reg += regulariser_[static_cast<std::size_t>(s[k])] * x_e[k] * x_e[k];
  return link_.loss(margin(e, x_e), data_->label(e)) + reg;
}

void SparseLinearObjective::gradient(std::size_t e, std::span<const double> x_e,
                                     std::span<double> g_e) const {
  const SparseRows& rows = data_->sparse_rows();
  const double* values = rows.valuePtr() + rows.outerIndexPtr()[e];
  const std::span<const Index> s = support(e);
  const double d = link_.derivative(margin(e, x_e), data_->label(e));
  // Without the loss's share when its derivative is 0, as the fused update of the threaded
  // backend computes it: 0 * v + r could differ from r in the sign of a zero.
  for (std::size_t k = 0; k < s.size(); ++k)
    g_e[k] = d == 0.0 ? 2.0 * regulariser_[static_cast<std::size_t>(s[k])] * x_e[k]
                      : d * values[k] + 2.0 * regulariser_[static_cast<std::size_t>(s[k])] * x_e[k];
}

bool SparseLinearObjective::correct(std::size_t e, std::span<const double> x_e) const {
  return (margin(e, x_e) >= 0.0 ? 1.0 : -1.0) == data_->label(e);
}

MatrixFactorisationObjective::MatrixFactorisationObjective(std::shared_ptr<const Dataset> ratings,
                                                           std::size_t users, std::size_t rank,
                                                           double l2)
    : ratings_(std::move(ratings)), users_(users), rank_(rank) {
  if (!ratings_->is_sparse() || ratings_->features() < users || rank == 0)
    throw std::invalid_argument("MatrixFactorisationObjective needs sparse ratings and a rank");
  items_ = ratings_->features() - users_;
  const SparseRows& rows = ratings_->sparse_rows();
  const std::size_t n = ratings_->size();
  std::vector<double> weight = degree_weights(rows, ratings_->features(), l2);
  user_weight_.assign(weight.begin(), weight.begin() + static_cast<std::ptrdiff_t>(users_));
  item_weight_.assign(weight.begin() + static_cast<std::ptrdiff_t>(users_), weight.end());
  supports_.reserve(n * 2 * rank_);
  for (std::size_t e = 0; e < n; ++e) {
    const auto begin = rows.outerIndexPtr()[e];
    if (rows.outerIndexPtr()[e + 1] - begin != 2 || rows.innerIndexPtr()[begin] >= Index(users_) ||
        rows.innerIndexPtr()[begin + 1] < Index(users_))
      throw std::invalid_argument("a rating must name one user and one item");
    const auto u = static_cast<std::size_t>(rows.innerIndexPtr()[begin]);
    const auto i = static_cast<std::size_t>(rows.innerIndexPtr()[begin + 1]) - users_;
    user_of_.push_back(static_cast<std::uint32_t>(u));
    item_of_.push_back(static_cast<std::uint32_t>(i));
    for (std::size_t k = 0; k < rank_; ++k) supports_.push_back(Index(u * rank_ + k));
    for (std::size_t k = 0; k < rank_; ++k) supports_.push_back(Index((users_ + i) * rank_ + k));
  }
}

std::span<const SparseObjective::Index> MatrixFactorisationObjective::support(std::size_t e) const {
  return {supports_.data() + e * 2 * rank_, 2 * rank_};
}

double MatrixFactorisationObjective::loss(std::size_t e, std::span<const double> x_e) const {
  const std::span<const double> l = x_e.first(rank_), r = x_e.subspan(rank_, rank_);
  double z = 0.0, ll = 0.0, rr = 0.0;
  for (std::size_t k = 0; k < rank_; ++k) {
    z += l[k] * r[k];
    ll += l[k] * l[k];
    rr += r[k] * r[k];
  }
  const double residual = z - ratings_->label(e);
  return 0.5 * residual * residual + user_weight_[user_of_[e]] * ll +
         item_weight_[item_of_[e]] * rr;
}

void MatrixFactorisationObjective::gradient(std::size_t e, std::span<const double> x_e,
                                            std::span<double> g_e) const {
  const std::span<const double> l = x_e.first(rank_), r = x_e.subspan(rank_, rank_);
  double z = 0.0;
  for (std::size_t k = 0; k < rank_; ++k) z += l[k] * r[k];
  const double residual = z - ratings_->label(e);
  const double wu = 2.0 * user_weight_[user_of_[e]], wi = 2.0 * item_weight_[item_of_[e]];
  for (std::size_t k = 0; k < rank_; ++k) {
    g_e[k] = residual * r[k] + wu * l[k];
    g_e[rank_ + k] = residual * l[k] + wi * r[k];
  }
}

std::vector<double> MatrixFactorisationObjective::initial(
    const std::function<double()>& normal) const {
  std::vector<double> x(dimension());
  const double scale = 1.0 / std::sqrt(static_cast<double>(rank_));
  for (double& v : x) v = scale * normal();
  return x;
}

}  // namespace sgdsim
