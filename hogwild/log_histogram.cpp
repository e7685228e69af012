#include "hogwild/log_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace sgdsim {

void LogHistogram::add(double seconds) {
  const double position = kPerDoubling * std::log2(std::max(seconds, kSmallest) / kSmallest);
  const auto b = static_cast<std::size_t>(position);
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  ++counts_[b];
  ++count_;
}

void LogHistogram::merge(const LogHistogram& other) {
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t b = 0; b < other.counts_.size(); ++b) counts_[b] += other.counts_[b];
  count_ += other.count_;
}

double LogHistogram::lower(std::size_t b) {
  return kSmallest * std::exp2(static_cast<double>(b) / kPerDoubling);
}

double LogHistogram::quantile(double q) const {
  if (count_ == 0) return 0.0;
  // The rank of the quantile among the sorted durations, counted from 1 (the nearest-rank rule).
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * double(count_))));
  std::uint64_t below = 0;
  std::size_t b = 0;
  while (below + counts_[b] < rank) below += counts_[b++];
  return std::sqrt(lower(b) * lower(b + 1));
}

}  // namespace sgdsim
