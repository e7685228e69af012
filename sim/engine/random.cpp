#include "sim/engine/random.hpp"

#include <array>
#include <cmath>
#include <numbers>

namespace sgdsim {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t purpose_hash(std::string_view purpose) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : purpose) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t entity, std::string_view purpose) {
  // Chained mixing, not XOR of the parts: (seed, entity) and (entity, seed) must not collide.
  const std::uint64_t key = mix64(mix64(mix64(seed) ^ entity) ^ purpose_hash(purpose));
  const std::uint64_t more = mix64(key);
  // One 32-bit word for each of the engine's three components, consumed in order.
  const std::array<std::uint32_t, 3> words = {static_cast<std::uint32_t>(key),
                                              static_cast<std::uint32_t>(key >> 32),
                                              static_cast<std::uint32_t>(more)};
  auto first = words.begin();
  engine_.seed(first, words.end());
}

double RandomStream::uniform01() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

double RandomStream::uniform_open01() {
  return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

std::uint64_t RandomStream::uniform_below(std::uint64_t n) {
  // Rejects the few top values that would make some results more likely than others.
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = next_u64();
    if (x >= threshold) return x % n;
  }
}

double RandomStream::exponential(double mean) {
  return -mean * std::log(uniform_open01());
}

double RandomStream::standard_normal() {
  const double u1 = uniform_open01();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double RandomStream::gamma(double shape, double scale) {
  if (shape < 1.0) {
    // G(k) = G(k + 1) * U^(1/k) for k < 1.
    const double boost = std::pow(uniform_open01(), 1.0 / shape);
    return gamma(shape + 1.0, scale) * boost;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = standard_normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform_open01();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v * scale;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v * scale;
  }
}

}  // namespace sgdsim
