#pragma once
// Renumbering the features of sparse data so that the most frequent come first. The same problem
// up to a permutation of the coordinates, laid out for shared-memory SGD: the handful of features
// most samples have (an email's header words) share a few cache lines of the model instead of
// one line each, so two cores that both write them move a few lines between them per update,
// not dozens.

#include <cstdint>
#include <vector>

#include "models/dataset.hpp"

namespace sgdsim {

/// The new column of each column of sparse `data`: columns by descending number of samples that
/// have them, ties by ascending column (so the order is deterministic); columns no sample has
/// come last, in order. A permutation of 0 .. data.features() - 1.
std::vector<std::uint32_t> frequency_order(const Dataset& data);

/// Sparse `data` with column c moved to new_column[c]; values and labels unchanged, each row's
/// columns ascending again.
Dataset renumber_features(const Dataset& data, const std::vector<std::uint32_t>& new_column);

}  // namespace sgdsim
