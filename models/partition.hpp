#pragma once
// Train/test splits and the partitioning of samples across workers.

#include <numeric>
#include <utility>
#include <vector>

namespace sgdsim {

/// Sample indices of the two sides of a split.
struct Split {
  std::vector<std::size_t> train, test;
};

/// How samples are dealt to workers.
enum class PartitionKind {
  kContiguous,  ///< Worker k gets the k-th block of consecutive samples.
  kShuffled,    ///< Samples are shuffled, then dealt in blocks.
  kReplicated,  ///< Every worker sees every sample.
};

/// 0, 1, ..., n-1 in an order drawn by a Fisher-Yates shuffle.
template <typename Rng>
std::vector<std::size_t> shuffled_indices(std::size_t n, Rng& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.uniform_below(i)]);
  return order;
}

/// A random split with round(n * test_fraction) test samples; both sides are kept sorted.
template <typename Rng>
Split train_test_split(std::size_t n, double test_fraction, Rng& rng) {
  std::vector<std::size_t> order = shuffled_indices(n, rng);
  const auto test = static_cast<std::size_t>(static_cast<double>(n) * test_fraction + 0.5);
  Split s{{order.begin() + static_cast<std::ptrdiff_t>(test), order.end()},
          {order.begin(), order.begin() + static_cast<std::ptrdiff_t>(test)}};
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

/// The samples 0..n-1 dealt to `workers` workers; blocks differ in size by at most one.
template <typename Rng>
std::vector<std::vector<std::size_t>> partition(std::size_t n, std::size_t workers,
                                                PartitionKind kind, Rng& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (kind == PartitionKind::kReplicated)
    return std::vector<std::vector<std::size_t>>(workers, order);
  if (kind == PartitionKind::kShuffled) order = shuffled_indices(n, rng);
  std::vector<std::vector<std::size_t>> parts(workers);
  std::size_t next = 0;
  for (std::size_t k = 0; k < workers; ++k) {
    const std::size_t size = n / workers + (k < n % workers ? 1 : 0);
    parts[k].assign(order.begin() + static_cast<std::ptrdiff_t>(next),
                    order.begin() + static_cast<std::ptrdiff_t>(next + size));
    next += size;
  }
  return parts;
}

}  // namespace sgdsim
