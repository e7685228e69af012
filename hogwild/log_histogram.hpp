#pragma once
// A histogram of durations in logarithmic buckets, for the spread of wall time per update: its
// memory does not grow with the length of a run, and its quantiles are good to a few percent.

#include <cstdint>
#include <vector>

namespace sgdsim {

/// Counts of durations (in seconds) in buckets eight to a doubling, the first starting at 1 ns.
class LogHistogram {
 public:
  /// Buckets per doubling: each spans a factor 2^(1/8), about 9%.
  static constexpr int kPerDoubling = 8;
  /// The lower end of bucket 0; shorter durations are counted there too.
  static constexpr double kSmallest = 1e-9;

  /// Counts one duration.
  void add(double seconds);

  /// Adds the counts of `other` to these.
  void merge(const LogHistogram& other);

  /// Durations counted so far.
  std::uint64_t count() const { return count_; }

  /// Counts by bucket; bucket b holds durations in [lower(b), lower(b + 1)).
  const std::vector<std::uint64_t>& counts() const { return counts_; }

  /// The lower end of bucket b, in seconds.
  static double lower(std::size_t b);

  /// The q-quantile (0 <= q <= 1) as the geometric middle of the bucket that holds it, so within
  /// 4.5% of the true value; 0 when nothing was counted.
  double quantile(double q) const;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
};

}  // namespace sgdsim
