#pragma once
// The wall time of single HOGWILD! updates on one thread: what `sgdsim calibrate` writes as an
// empirical compute-time distribution for the simulator.

#include <cstdint>
#include <span>
#include <vector>

#include "models/sparse_objective.hpp"

namespace sgdsim {

/// Times `updates` single updates of `f` (sample a term, read its coordinates, compute the
/// gradient, write them) on one thread, on a private copy of `x`; returns the wall seconds of
/// each, in order. Terms are drawn from RandomStream(seed, 0, "samples"), as thread 0 of a
/// threaded run draws them.
///
/// The updates are made with step 0, so every one is timed at `x` itself (a trained model, when
/// `x` is one) and no step size needs choosing; the write is made all the same. Each time
/// includes the cost of reading steady_clock (about 28 ns on the kvm-clock virtual machine it was
/// written on). Throws std::invalid_argument when `x` does not fit `f` or `f` has no term.
std::vector<double> measure_update_times(const SparseObjective& f, std::span<const double> x,
                                         std::size_t updates, std::uint64_t seed);

}  // namespace sgdsim
