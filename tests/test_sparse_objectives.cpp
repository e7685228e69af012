// The objectives HOGWILD! updates term by term: their gradients, and that the per-feature
// regulariser scaling of Niu et al. adds up to the plain L2 objective.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "models/feature_order.hpp"
#include "models/sparse_objective.hpp"
#include "models/synthetic.hpp"
#include "sim/engine/random.hpp"

using namespace sgdsim;

namespace {

/// Checks f's gradient of every term against central differences at a random point.
void check_gradients(const SparseObjective& f, RandomStream& rng) {
  std::vector<double> x_e, g_e;
  for (std::size_t e = 0; e < f.terms(); e += std::max<std::size_t>(1, f.terms() / 20)) {
    x_e.resize(f.support(e).size());
    for (double& v : x_e) v = rng.standard_normal();
    g_e.resize(x_e.size());
    f.gradient(e, x_e, g_e);
    for (std::size_t k = 0; k < x_e.size(); ++k) {
      const double h = 1e-6, keep = x_e[k];
      x_e[k] = keep + h;
      const double up = f.loss(e, x_e);
      x_e[k] = keep - h;
      const double down = f.loss(e, x_e);
      x_e[k] = keep;
      INFO("term " << e << " coordinate " << k);
      CHECK(g_e[k] == Approx((up - down) / (2 * h)).epsilon(1e-5).margin(1e-7));
    }
  }
}

}  // namespace

TEST_CASE("sparse linear objectives' gradients match finite differences") {
  RandomStream rng(3, 0, "data");
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({60, 40, 6, 0.8, 0.0}, rng));
  for (const LinearLoss loss : {LinearLoss::kLogistic, LinearLoss::kSquared, LinearLoss::kHinge})
    check_gradients(SparseLinearObjective(data, loss, 0.05), rng);
}

TEST_CASE("the per-feature regulariser adds up to the L2 objective of the dense model") {
  RandomStream rng(4, 0, "data");
  // Every feature in some sample: 20 features, 8 of 20 per sample, 200 samples.
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({200, 20, 8, 0.0, 0.0}, rng));
  const Vector w = standard_normal_vector(20, rng);
  const std::vector<double> x(w.data(), w.data() + w.size());
  for (const LinearLoss loss : {LinearLoss::kLogistic, LinearLoss::kHinge}) {
    const SparseLinearObjective sparse(data, loss, 0.3);
    const LinearObjective dense(loss, 0.3);
    CHECK(sparse.mean_loss(x) == Approx(dense.mean_loss(*data, w)).epsilon(1e-12));
    CHECK(sparse.accuracy(x) == dense.accuracy(*data, w));
  }
}

TEST_CASE("matrix factorisation's gradients match finite differences") {
  RandomStream rng(5, 0, "data");
  const auto ratings = std::make_shared<const Dataset>(low_rank_ratings({12, 9, 3, 80, 0.1}, rng));
  const MatrixFactorisationObjective f(ratings, 12, 4, 0.02);
  CHECK(f.dimension() == (12 + 9) * 4);
  CHECK(f.support(0).size() == 8);
  check_gradients(f, rng);
}

TEST_CASE("matrix factorisation's terms touch exactly their user's and item's factors") {
  RandomStream rng(6, 0, "data");
  const auto ratings = std::make_shared<const Dataset>(low_rank_ratings({5, 7, 2, 30, 0.0}, rng));
  const MatrixFactorisationObjective f(ratings, 5, 2, 0.0);
  for (std::size_t e = 0; e < f.terms(); ++e) {
    const auto row = ratings->sparse_rows().outerIndexPtr()[e];
    const auto u = ratings->sparse_rows().innerIndexPtr()[row];
    const auto i = ratings->sparse_rows().innerIndexPtr()[row + 1] - 5;
    const auto s = f.support(e);
    CHECK(std::vector<std::int64_t>(s.begin(), s.end()) ==
          std::vector<std::int64_t>{2 * u, 2 * u + 1, 2 * (5 + i), 2 * (5 + i) + 1});
  }
}

TEST_CASE("features renumbered by frequency are the same problem with the common features first") {
  RandomStream rng(5, 0, "data");
  // Skewed: low columns are common.
  const auto data =
      std::make_shared<const Dataset>(sparse_classification({300, 50, 6, 1.2, 0.0}, rng));
  const std::vector<std::uint32_t> order = frequency_order(*data);
  std::vector<std::size_t> count(50, 0), seen(50, 0);
  for (Eigen::Index k = 0; k < data->sparse_rows().nonZeros(); ++k)
    ++count[std::size_t(data->sparse_rows().innerIndexPtr()[k])];
  for (std::uint32_t c : order) ++seen.at(c);
  CHECK(seen == std::vector<std::size_t>(50, 1));  // A permutation.
  std::vector<std::size_t> count_by_new(50);
  for (std::size_t c = 0; c < 50; ++c) count_by_new[order[c]] = count[c];
  CHECK(std::is_sorted(count_by_new.rbegin(), count_by_new.rend()));  // Most frequent first.

  const auto renumbered = std::make_shared<const Dataset>(renumber_features(*data, order));
  REQUIRE(renumbered->sparse_rows().nonZeros() == data->sparse_rows().nonZeros());
  const Vector w = standard_normal_vector(50, rng);
  std::vector<double> x(w.data(), w.data() + w.size()), x_renumbered(50);
  for (std::size_t c = 0; c < 50; ++c) x_renumbered[order[c]] = x[c];
  for (const LinearLoss loss : {LinearLoss::kLogistic, LinearLoss::kHinge}) {
    const SparseLinearObjective before(data, loss, 0.1), after(renumbered, loss, 0.1);
    // Only the order of each margin's sum changed.
    CHECK(after.mean_loss(x_renumbered) == Approx(before.mean_loss(x)).epsilon(1e-12));
    CHECK(after.accuracy(x_renumbered) == before.accuracy(x));
  }
}
