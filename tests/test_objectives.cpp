// Every objective's gradient agrees with central finite differences of its loss, on dense and
// sparse data, with and without L2.

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/mlp.hpp"
#include "models/objective.hpp"
#include "models/softmax.hpp"
#include "sim/engine/random.hpp"

using namespace sgdsim;

namespace {

/// Six samples of five features, with labels -1 / +1 (or real values for least squares); the
/// sparse version keeps about half the entries.
Dataset sample_data(bool sparse, bool classes) {
  RandomStream rng(11, 0, "objective-test");
  DenseRows x(6, 5);
  Vector y(6);
  for (Eigen::Index i = 0; i < 6; ++i) {
    for (Eigen::Index j = 0; j < 5; ++j)
      x(i, j) = (sparse && rng.uniform01() < 0.5) ? 0.0 : rng.standard_normal();
    y[i] = classes ? (rng.uniform01() < 0.5 ? -1.0 : 1.0) : rng.standard_normal();
  }
  if (!sparse) return Dataset::dense(x, y);
  return Dataset::sparse(x.sparseView(), y);
}

void check_gradient(const Objective& f, const Dataset& data, const Vector& w) {
  const double h = 1e-6;
  for (std::size_t i = 0; i < data.size(); ++i) {
    Vector g = Vector::Zero(w.size());
    f.add_sample_gradient(data, i, w, 1.0, g);
    for (Eigen::Index k = 0; k < w.size(); ++k) {
      Vector up = w, down = w;
      up[k] += h;
      down[k] -= h;
      const double numeric = (f.sample_loss(data, i, up) - f.sample_loss(data, i, down)) / (2 * h);
      INFO("sample " << i << " coordinate " << k);
      CHECK(g[k] == Approx(numeric).margin(1e-6));
    }
  }
}

}  // namespace

TEST_CASE("linear objectives' gradients match finite differences") {
  const Vector w = (Vector(5) << 0.3, -0.2, 0.5, 0.1, -0.4).finished();
  for (bool sparse : {false, true}) {
    for (double l2 : {0.0, 0.1}) {
      DYNAMIC_SECTION((sparse ? "sparse" : "dense") << " data with l2 " << l2) {
        check_gradient(LinearObjective(LinearLoss::kSquared, l2), sample_data(sparse, false), w);
        check_gradient(LinearObjective(LinearLoss::kLogistic, l2), sample_data(sparse, true), w);
        // Small weights keep every margin y z well away from the hinge's kink at 1.
        check_gradient(LinearObjective(LinearLoss::kHinge, l2), sample_data(sparse, true), 0.1 * w);
      }
    }
  }
}

TEST_CASE("the logistic loss stays finite for huge margins") {
  const LinearObjective f(LinearLoss::kLogistic, 0.0);
  CHECK(f.loss(1000.0, 1.0) == Approx(0.0).margin(1e-300));
  CHECK(f.loss(-1000.0, 1.0) == Approx(1000.0));
  CHECK(f.derivative(-1000.0, 1.0) == Approx(-1.0));
  CHECK(std::isfinite(f.derivative(1000.0, -1.0)));
}

TEST_CASE("a batch gradient is the sum of the sample gradients in the order given") {
  const Dataset data = sample_data(false, true);
  const LinearObjective f(LinearLoss::kLogistic, 0.05);
  const Vector w = Vector::Constant(5, 0.2);
  const std::vector<std::size_t> rows = {4, 0, 2};
  Vector batch(5);
  f.batch_gradient(data, rows, w, batch);
  Vector by_hand = Vector::Zero(5);
  for (std::size_t i : rows) f.add_sample_gradient(data, i, w, 1.0, by_hand);
  CHECK(batch == by_hand);  // Bit for bit: same additions in the same order.
}

TEST_CASE("dense and sparse storage of the same data give the same losses and gradients") {
  const Dataset sparse = sample_data(true, true);
  const Dataset dense = Dataset::dense(DenseRows(sparse.sparse_rows()), sparse.labels());
  const LinearObjective f(LinearLoss::kHinge, 0.0);
  const Vector w = (Vector(5) << 0.1, 0.2, -0.3, 0.05, 0.0).finished();
  CHECK(f.mean_loss(sparse, w) == Approx(f.mean_loss(dense, w)));
  CHECK(f.accuracy(sparse, w) == f.accuracy(dense, w));
  Vector gs = Vector::Zero(5), gd = Vector::Zero(5);
  for (std::size_t i = 0; i < 6; ++i) {
    f.add_sample_gradient(sparse, i, w, 0.5, gs);
    f.add_sample_gradient(dense, i, w, 0.5, gd);
  }
  CHECK((gs - gd).norm() < 1e-12);
}

TEST_CASE("a subset keeps the rows asked for in order") {
  const Dataset data = sample_data(true, true);
  const std::vector<std::size_t> rows = {5, 1};
  const Dataset sub = data.subset(rows);
  REQUIRE(sub.size() == 2);
  CHECK(sub.label(0) == data.label(5));
  const Vector w = Vector::LinSpaced(5, -1.0, 1.0);
  CHECK(sub.dot(1, w) == data.dot(1, w));
}

namespace {

/// The sample data relabelled into three classes 0, 1, 2.
Dataset three_classes(bool sparse) {
  Dataset d = sample_data(sparse, false);
  Vector y(static_cast<Eigen::Index>(d.size()));
  for (Eigen::Index i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i % 3);
  return sparse ? Dataset::sparse(d.sparse_rows(), y) : Dataset::dense(d.dense_rows(), y);
}

Vector random_parameters(std::size_t n) {
  RandomStream rng(4, 0, "parameters");
  Vector w(static_cast<Eigen::Index>(n));
  for (Eigen::Index k = 0; k < w.size(); ++k) w[k] = 0.5 * rng.standard_normal();
  return w;
}

}  // namespace

TEST_CASE("softmax regression's gradient matches finite differences") {
  for (bool sparse : {false, true}) {
    DYNAMIC_SECTION((sparse ? "sparse" : "dense") << " data") {
      const SoftmaxObjective f(3, 0.05);
      CHECK(f.dimension(5) == 15);
      check_gradient(f, three_classes(sparse), random_parameters(15));
    }
  }
}

TEST_CASE("an MLP's back-propagated gradient matches finite differences") {
  for (bool sparse : {false, true}) {
    for (const std::vector<std::size_t>& hidden :
         {std::vector<std::size_t>{4}, std::vector<std::size_t>{4, 3}}) {
      DYNAMIC_SECTION((sparse ? "sparse" : "dense")
                      << " data, " << hidden.size() << " hidden layers") {
        const MlpObjective f(hidden, 3, 0.01);
        const std::size_t n = f.dimension(5);
        CHECK(n ==
              (hidden.size() == 1 ? 4 * 5 + 4 + 3 * 4 + 3 : 4 * 5 + 4 + 3 * 4 + 3 + 3 * 3 + 3));
        check_gradient(f, three_classes(sparse), random_parameters(n));
      }
    }
  }
}

TEST_CASE("two-class labels -1 and +1 are classes 0 and 1 for multi-class models") {
  const Dataset data = sample_data(false, true);
  const SoftmaxObjective f(2, 0.0);
  Vector w = Vector::Zero(10);
  w.segment(5, 5) = Vector::Constant(5, 1.0);  // Class 1 scores x . 1, class 0 scores 0.
  for (std::size_t i = 0; i < data.size(); ++i) {
    const bool says_positive = data.dot(i, Vector::Constant(5, 1.0)) > 0;
    CHECK(f.correct(data, i, w) == (says_positive == (data.label(i) > 0)));
  }
}
