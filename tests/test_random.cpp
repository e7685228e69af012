// Known-answer tests pin the random streams and the draws built on them: a change to either
// would silently change every result, so it must show up here first.

#include <boost/random/taus88.hpp>
#include <catch2/catch.hpp>

#include "sim/engine/random.hpp"

using namespace sgdsim;

TEST_CASE("the engine under the streams is Boost's validated taus88") {
  // Boost's own validation value: the 10000th output of a default-constructed taus88.
  boost::random::taus88 engine;
  engine.discard(9999);
  CHECK(engine() == 3535848941U);
}

TEST_CASE("stream seeds are derived with SplitMix64's finaliser") {
  // SplitMix64 from state 0 first returns 0xe220a8397b1dcdaf (Vigna's reference code).
  CHECK(mix64(0) == 0xe220a8397b1dcdafULL);
  CHECK(purpose_hash("") == 0xcbf29ce484222325ULL);   // FNV-1a offset basis.
  CHECK(purpose_hash("a") == 0xaf63dc4c8601ec8cULL);  // FNV-1a reference value.
}

TEST_CASE("a stream's raw outputs and draws are pinned for seed 42 and entity 7") {
  RandomStream r(42, 7, "compute");
  CHECK(r.next_u64() == 18398498586007186657ULL);
  CHECK(r.next_u64() == 10201028895109790126ULL);
  CHECK(r.next_u64() == 18230700936210623185ULL);
  // Draws go through std::log, std::cos and std::pow, which may differ in the last bit between
  // C libraries, hence a relative tolerance far below any effect on nanosecond times.
  CHECK(r.uniform01() == Approx(0.15551062367598611).epsilon(1e-14));
  CHECK(r.exponential(2.0) == Approx(1.4220648640631017).epsilon(1e-13));
  CHECK(r.standard_normal() == Approx(0.41208225144648331).epsilon(1e-12));
  CHECK(r.gamma(2.5, 1.0) == Approx(3.7630563374813693).epsilon(1e-12));
  CHECK(r.gamma(0.5, 1.0) == Approx(1.3594840251374236).epsilon(1e-12));
  CHECK(r.uniform_below(1000) == 305);
}

TEST_CASE("streams of different entities or purposes or seeds are different") {
  const auto first = [](std::uint64_t seed, std::uint64_t entity, const char* purpose) {
    return RandomStream(seed, entity, purpose).next_u64();
  };
  const std::uint64_t base = first(1, 0, "compute");
  CHECK(base == first(1, 0, "compute"));
  CHECK(base != first(1, 1, "compute"));
  CHECK(base != first(1, 0, "latency"));
  CHECK(base != first(2, 0, "compute"));
  // Swapping seed and entity must not give the same stream.
  CHECK(first(3, 5, "compute") != first(5, 3, "compute"));
}

TEST_CASE("uniform draws stay in their ranges") {
  RandomStream r(9, 0, "test");
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform01();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    const double v = r.uniform_open01();
    REQUIRE(v > 0.0);
    REQUIRE(v < 1.0);
    REQUIRE(r.uniform_below(7) < 7);
  }
}
