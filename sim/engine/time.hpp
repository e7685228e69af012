#pragma once
// Simulated time: an integer count of nanoseconds. Seconds as doubles exist only at the boundaries
// (YAML, CSV, GUI); inside sim/ every instant and duration is a SimTime.

#include <cmath>
#include <cstdint>
#include <limits>

namespace sgdsim {

/// An instant or a duration of simulated time, in nanoseconds.
using SimTime = std::int64_t;

/// The largest representable instant, used as "never".
inline constexpr SimTime kTimeNever = std::numeric_limits<SimTime>::max();

/// Nanoseconds per second.
inline constexpr SimTime kNanosPerSecond = 1'000'000'000;

/// Converts seconds to the nearest nanosecond, saturating at kTimeNever for huge, infinite or NaN
/// values and at -kTimeNever for hugely negative ones.
inline SimTime from_seconds(double seconds) {
  const double ns = std::nearbyint(seconds * 1e9);
  // Converting a double outside SimTime's range is undefined, so both ends saturate first.
  if (!(ns < 9.2e18)) return kTimeNever;
  if (ns < -9.2e18) return -kTimeNever;
  return static_cast<SimTime>(ns);
}

/// The instant `delay` (>= 0) after `at` (>= 0), saturating at kTimeNever: a heavy-tailed draw
/// can be kTimeNever itself, and overflowing the sum would be undefined.
inline constexpr SimTime saturating_add(SimTime at, SimTime delay) {
  // The overflow flag of the one addition says it all (both operands are >= 0), which keeps this
  // to an add and a conditional move on the engine's hottest paths.
  SimTime sum = 0;
  return __builtin_add_overflow(at, delay, &sum) ? kTimeNever : sum;
}

/// Converts a SimTime to seconds (for output only).
inline double to_seconds(SimTime t) {
  return static_cast<double>(t) * 1e-9;
}

}  // namespace sgdsim
