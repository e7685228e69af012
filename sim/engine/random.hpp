#pragma once
// Random streams: one independent generator per (seed, entity, purpose), as ns-3 assigns streams
// per random variable. The draws are ours, not the standard library's, so the same seed gives the
// same numbers on every platform and compiler; known-answer tests pin them.

#include <boost/random/taus88.hpp>
#include <cstdint>
#include <string_view>

namespace sgdsim {

/// Mixes a 64-bit value (SplitMix64's finaliser); a bijection with good avalanche.
std::uint64_t mix64(std::uint64_t x);

/// FNV-1a hash of a purpose name; stable across platforms, unlike std::hash.
std::uint64_t purpose_hash(std::string_view purpose);

/// One random stream, on Boost's taus88 (L'Ecuyer's three-component Tausworthe generator).
///
/// Why taus88 and not mt19937_64: a run keeps a stream per worker and purpose, and at 10,000
/// workers mt19937_64's 2.5 KB of state per stream (25 MB in all) made every draw a cache miss.
/// taus88 keeps 12 bytes; it is F2-linear like the Mersenne Twister (and fails the same two
/// linear-complexity tests of TestU01's BigCrush, no others), and its period of 2^88 is far beyond
/// any stream's use.
///
/// Entities are numbered by their owner (worker i, link j, ...); the purpose
/// names what the draws are for ("compute", "latency", ...). Because a stream's seed depends only
/// on (seed, entity, purpose), adding a worker never changes the draws of the others.
class RandomStream {
 public:
  /// The stream of `entity` for `purpose` under the scenario seed `seed`.
  RandomStream(std::uint64_t seed, std::uint64_t entity, std::string_view purpose);

  /// The next raw 64-bit output: two 32-bit outputs of the engine, the first in the high half.
  std::uint64_t next_u64() {
    const std::uint64_t high = engine_();
    return (high << 32) | engine_();
  }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform01();

  /// Uniform on (0, 1): never exactly 0, so its logarithm is finite.
  double uniform_open01();

  /// Uniform integer on [0, n), without modulo bias. Requires n > 0.
  std::uint64_t uniform_below(std::uint64_t n);

  /// Exponential with the given mean.
  double exponential(double mean);

  /// Standard normal N(0, 1), by the Box-Muller transform (one output per two uniforms, so a draw
  /// never depends on a cached value from an earlier call).
  double standard_normal();

  /// Gamma with shape k > 0 and scale theta, by Marsaglia and Tsang's method (shape < 1 boosted).
  double gamma(double shape, double scale);

 private:
  boost::random::taus88 engine_;
};

}  // namespace sgdsim
