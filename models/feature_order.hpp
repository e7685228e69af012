#pragma once
// Renumbering the features of sparse data so that the most frequent come first. The same problem
// up to a permutation of the coordinates, laid out for the cache: the features most samples have
// (an email's header words) share a few cache lines of the model instead of one line each, so an
// update reads and writes fewer lines. On one thread that is faster; two threads that both write
// those features still pass the shared lines back and forth (BENCHMARKS.md).

#include <cstdint>
#include <vector>

#include "models/dataset.hpp"

namespace sgdsim {

/// The new column of each column of sparse `data`: columns by descending number of samples that
/// have them, ties by ascending column (so the order is deterministic); columns no sample has
/// come last, in order. A permutation of 0 .. data.features() - 1.
std::vector<std::uint32_t> frequency_order(const Dataset& data);

/// Sparse `data` with column c moved to new_column[c]; values and labels unchanged, each row's
/// columns ascending again. `new_column` must be a permutation of 0 .. data.features() - 1 (as
/// frequency_order makes); anything else is refused with std::invalid_argument.
Dataset renumber_features(const Dataset& data, const std::vector<std::uint32_t>& new_column);

}  // namespace sgdsim
