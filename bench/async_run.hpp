#pragma once
// The learning benchmarks' asynchronous run: the simulator's event loop with nothing around it
// (no recorder output, no evaluation), so that what it costs beyond the gradients shows.

#include <chrono>
#include <cstdint>

#include "sim/protocols/learner.hpp"

namespace sgdsim::bench {

/// Wall seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// An asynchronous run of `updates` updates on a star of `workers` workers and one parameter
/// node, with links of `latency` seconds and exponential compute times of mean 1 ms.
void simulate_async(Learner& learner, std::uint32_t workers, double latency, std::uint64_t updates);

}  // namespace sgdsim::bench
