#include "models/feature_order.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace sgdsim {

std::vector<std::uint32_t> frequency_order(const Dataset& data) {
  if (!data.is_sparse()) throw std::invalid_argument("frequency_order needs sparse data");
  const SparseRows& rows = data.sparse_rows();
  std::vector<std::size_t> count(data.features(), 0);
  for (Eigen::Index k = 0; k < rows.nonZeros(); ++k)
    ++count[static_cast<std::size_t>(rows.innerIndexPtr()[k])];
  std::vector<std::uint32_t> by_rank(data.features());
  std::iota(by_rank.begin(), by_rank.end(), 0u);
  std::stable_sort(by_rank.begin(), by_rank.end(),
                   [&count](std::uint32_t a, std::uint32_t b) { return count[a] > count[b]; });
  std::vector<std::uint32_t> new_column(data.features());
  for (std::size_t rank = 0; rank < by_rank.size(); ++rank)
    new_column[by_rank[rank]] = static_cast<std::uint32_t>(rank);
  return new_column;
}

Dataset renumber_features(const Dataset& data, const std::vector<std::uint32_t>& new_column) {
  if (!data.is_sparse() || new_column.size() != data.features())
    throw std::invalid_argument("renumber_features needs sparse data and a column for each");
  // Two columns moved to one would silently add up in setFromTriplets.
  std::vector<bool> taken(new_column.size(), false);
  for (const std::uint32_t c : new_column) {
    if (c >= taken.size() || taken[c])
      throw std::invalid_argument("renumber_features needs a permutation of the columns");
    taken[c] = true;
  }
  const SparseRows& rows = data.sparse_rows();
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  entries.reserve(static_cast<std::size_t>(rows.nonZeros()));
  for (Eigen::Index i = 0; i < rows.outerSize(); ++i)
    for (SparseRows::InnerIterator it(rows, i); it; ++it)
      entries.emplace_back(i, new_column[static_cast<std::size_t>(it.col())], it.value());
  SparseRows renumbered(rows.rows(), rows.cols());
  renumbered.setFromTriplets(entries.begin(), entries.end());
  return Dataset::sparse(std::move(renumbered), data.labels());
}

}  // namespace sgdsim
