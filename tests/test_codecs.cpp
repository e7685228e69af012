// Gradient compression: QSGD is unbiased with the stated variance and encoding size; top-k with
// error feedback loses nothing.

#include <catch2/catch.hpp>
#include <cmath>

#include "models/codec.hpp"
#include "sim/engine/random.hpp"

using namespace sgdsim;

namespace {

Vector sample_vector() {
  Vector v(8);
  v << 0.9, -0.35, 0.0, 0.12, -0.7, 0.05, 0.33, -0.01;
  return v;
}

/// The encoding size of a quantised vector, counted again from its levels.
std::uint64_t count_bits(const Vector& q, double norm, std::uint32_t s) {
  std::uint64_t bits = 32, last = 0;
  for (Eigen::Index i = 0; i < q.size(); ++i) {
    const auto level = static_cast<std::uint64_t>(std::lround(std::abs(q[i]) * s / norm));
    if (level == 0) continue;
    const auto index = static_cast<std::uint64_t>(i) + 1;
    const auto gamma = [](std::uint64_t n) {
      std::uint64_t bits_of_n = 0;
      for (std::uint64_t m = n; m > 0; m >>= 1) ++bits_of_n;
      return 2 * (bits_of_n - 1) + 1;
    };
    bits += gamma(index - last) + 1 + gamma(level);
    last = index;
  }
  return bits;
}

}  // namespace

TEST_CASE("Elias gamma codes have 2 floor(log2 n) + 1 bits") {
  CHECK(elias_gamma_bits(1) == 1);
  CHECK(elias_gamma_bits(2) == 3);
  CHECK(elias_gamma_bits(3) == 3);
  CHECK(elias_gamma_bits(4) == 5);
  CHECK(elias_gamma_bits(15) == 7);
  CHECK(elias_gamma_bits(16) == 9);
}

TEST_CASE("QSGD is unbiased and its variance is the stated formula") {
  const Vector v = sample_vector();
  for (std::uint32_t s : {1u, 4u}) {
    DYNAMIC_SECTION(s << " levels") {
      const Qsgd q(s);
      RandomStream rng(2, 0, "qsgd");
      const int draws = 200000;
      Vector mean = Vector::Zero(8), m2 = Vector::Zero(8);
      for (int t = 1; t <= draws; ++t) {
        Vector x = v;
        q.quantize(x, rng);
        const Vector delta = x - mean;
        mean += delta / t;
        m2 += delta.cwiseProduct(x - mean);
      }
      const Vector var = m2 / draws;
      for (Eigen::Index i = 0; i < 8; ++i)
        CHECK(std::abs(mean[i] - v[i]) <= 4.0 * std::sqrt(var[i] / draws) + 1e-12);
      INFO("empirical " << var.sum() << ", formula " << q.variance(v));
      CHECK(var.sum() == Approx(q.variance(v)).epsilon(0.02));
    }
  }
}

TEST_CASE("QSGD's encoding size is what its levels, signs and gaps take") {
  const Qsgd q(4);
  RandomStream rng(3, 0, "qsgd");
  for (int t = 0; t < 100; ++t) {
    Vector x = sample_vector();
    const double norm = x.norm();
    const std::uint64_t bits = q.quantize(x, rng);
    CHECK(bits == count_bits(x, norm, 4));
  }
  Vector zero = Vector::Zero(5);
  CHECK(q.quantize(zero, rng) == 32);  // Just the norm.
}

TEST_CASE("top-k with error feedback loses no mass") {
  // Dyadic values make every sum exact, so conservation is checked bit for bit.
  RandomStream rng(4, 0, "topk");
  TopK topk(3, 10);
  Vector sent_total = Vector::Zero(10), gradient_total = Vector::Zero(10);
  for (int t = 0; t < 200; ++t) {
    Vector g(10);
    for (Eigen::Index i = 0; i < 10; ++i)
      g[i] = static_cast<double>(static_cast<int>(rng.uniform_below(33)) - 16) / 64.0;
    gradient_total += g;
    const std::uint64_t bits = topk.sparsify(g);
    CHECK(bits == 32 + 64 * 3);
    CHECK((g.array() != 0.0).count() <= 3);
    sent_total += g;
  }
  CHECK(sent_total + topk.residual() == gradient_total);
}

TEST_CASE("top-k keeps the largest magnitudes and breaks ties toward the lower index") {
  TopK topk(2, 5);
  Vector g(5);
  g << 0.5, -2.0, 0.5, 1.0, 0.5;
  topk.sparsify(g);
  CHECK(g == (Vector(5) << 0.0, -2.0, 0.0, 1.0, 0.0).finished());
  Vector h(5);
  h << 1.0, 0.0, 1.0, 0.0, 1.0;  // Residual 0.5s at 0, 2, 4 join: 1.5 each, a three-way tie.
  topk.sparsify(h);
  CHECK(h == (Vector(5) << 1.5, 0.0, 1.5, 0.0, 0.0).finished());
}

TEST_CASE("top-k with k = d sends every gradient unchanged") {
  TopK topk(4, 4);
  RandomStream rng(5, 0, "topk");
  for (int t = 0; t < 20; ++t) {
    Vector g(4);
    for (Eigen::Index i = 0; i < 4; ++i) g[i] = rng.standard_normal();
    const Vector before = g;
    topk.sparsify(g);
    CHECK(g == before);
    CHECK(topk.residual() == Vector::Zero(4));
  }
}
