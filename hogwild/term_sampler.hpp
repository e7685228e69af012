#pragma once
// Which term a thread updates next: its own reproducible stream of draws.

#include <cstdint>
#include <span>

#include "sim/engine/random.hpp"

namespace sgdsim {

/// The terms one thread samples, uniformly with replacement, from the stream (seed, thread,
/// "samples"): a thread's sequence of terms depends on nothing but these, however the threads
/// interleave, so a run can be replayed thread by thread.
class TermSampler {
 public:
  /// Samples from `subset` (term indices), or from every term 0..terms-1 when `subset` is empty.
  /// `subset` is viewed, not copied.
  TermSampler(std::uint64_t seed, std::size_t thread, std::size_t terms,
              std::span<const std::size_t> subset)
      : rng_(seed, thread, "samples"), terms_(terms), subset_(subset) {}

  /// The next term.
  std::size_t next() {
    if (subset_.empty()) return static_cast<std::size_t>(rng_.uniform_below(terms_));
    return subset_[static_cast<std::size_t>(rng_.uniform_below(subset_.size()))];
  }

 private:
  RandomStream rng_;
  std::size_t terms_;
  std::span<const std::size_t> subset_;
};

}  // namespace sgdsim
