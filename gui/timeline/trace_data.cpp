#include "gui/timeline/trace_data.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <queue>

namespace sgdsim {

Band band_of(std::string_view activity) {
  if (activity == "send") return Band::kSend;
  if (activity == "receive") return Band::kReceive;
  return Band::kWork;
}

std::vector<TraceSegment> flatten(std::span<const TraceSpan> spans) {
  std::vector<TraceSegment> out;
  out.reserve(spans.size() + spans.size() / 4);  // room for a few nested spans' splits
  // The spans in progress, the last started on top. One that ended under the top stays in the
  // heap until it surfaces: it is invisible until then anyway.
  std::priority_queue<std::uint32_t> active;  // indices: a later index never starts earlier
  std::size_t next = 0;
  std::int64_t now = spans.empty() ? 0 : spans.front().start;
  while (true) {
    while (!active.empty() && spans[active.top()].end <= now) active.pop();
    if (active.empty()) {
      if (next == spans.size()) break;
      now = std::max(now, spans[next].start);
    }
    for (; next < spans.size() && spans[next].start <= now; ++next)
      if (spans[next].end > now) active.push(static_cast<std::uint32_t>(next));
    if (active.empty()) continue;
    const TraceSpan& top = spans[active.top()];
    const std::int64_t until = next < spans.size() ? std::min(top.end, spans[next].start) : top.end;
    if (!out.empty() && out.back().span == active.top() && out.back().end == now)
      out.back().end = until;  // a zero-length span started here and changed nothing
    else
      out.push_back({now, until, active.top(), top.activity});
    now = until;
  }
  return out;
}

ActivityPyramid::ActivityPyramid(std::span<const TraceSegment> segments, std::int64_t origin)
    : origin_(origin) {
  if (segments.empty()) return;
  std::int64_t last = origin + 1;
  for (const TraceSegment& s : segments) {
    last = std::max(last, s.end);
    if (std::find(activities_.begin(), activities_.end(), s.activity) == activities_.end())
      activities_.push_back(s.activity);
  }
  std::sort(activities_.begin(), activities_.end());
  std::vector<std::uint16_t> column(activities_.back() + 1u, 0);
  for (std::size_t c = 0; c < activities_.size(); ++c)
    column[activities_[c]] = static_cast<std::uint16_t>(c);

  const auto extent = static_cast<std::uint64_t>(last - origin);
  // Level 0's buckets span about four segments: finer would cost memory (and loading time) for
  // zoom levels where drawing the few segments per pixel column directly is as fast.
  const std::uint64_t gap = (extent + segments.size() - 1) / segments.size();
  shift0_ = static_cast<int>(std::bit_width(4 * gap - 1));  // the smallest power of two >= 4 gap
  const std::size_t width = activities_.size();
  std::size_t count = ((extent - 1) >> shift0_) + 1;
  std::vector<std::int64_t> level(count * width, 0);
  for (const TraceSegment& s : segments) {
    const std::int64_t a = std::max<std::int64_t>(s.start - origin, 0), b = s.end - origin;
    if (b <= a) continue;
    // A segment adds its clipped length to every bucket it crosses; segments do not overlap, so
    // the crossings number at most the segments plus the buckets.
    for (std::int64_t k = a >> shift0_; k <= (b - 1) >> shift0_; ++k) {
      const std::int64_t lo = std::max(a, k << shift0_), hi = std::min(b, (k + 1) << shift0_);
      level[static_cast<std::size_t>(k) * width + column[s.activity]] += hi - lo;
    }
  }
  levels_.push_back(std::move(level));
  while (count > 1) {
    const std::vector<std::int64_t>& below = levels_.back();
    const std::size_t half = (count + 1) / 2;
    std::vector<std::int64_t> above(half * width, 0);
    for (std::size_t k = 0; k < count; ++k)
      for (std::size_t c = 0; c < width; ++c) above[(k / 2) * width + c] += below[k * width + c];
    levels_.push_back(std::move(above));
    count = half;
  }
}

void ActivityPyramid::accumulate(double t0, double t1, std::span<double> out) const {
  if (levels_.empty() || t1 <= t0) return;
  std::size_t level = 0;
  while (level + 1 < levels_.size() && static_cast<double>(bucket_width(level + 1)) <= t1 - t0)
    ++level;
  const double width = static_cast<double>(bucket_width(level));
  const double a = (t0 - static_cast<double>(origin_)) / width;
  const double b = (t1 - static_cast<double>(origin_)) / width;
  const auto count = static_cast<double>(bucket_count(level));
  const std::vector<std::int64_t>& buckets = levels_[level];
  const std::size_t columns = activities_.size();
  // The window is narrower than two buckets of this level, so it touches at most three.
  for (double k = std::max(std::floor(a), 0.0); k < std::min(b, count); k += 1.0) {
    const double share = std::min(b, k + 1.0) - std::max(a, k);
    const auto first = static_cast<std::size_t>(k) * columns;
    for (std::size_t c = 0; c < columns; ++c)
      out[c] += share * static_cast<double>(buckets[first + c]);
  }
}

std::pair<std::size_t, std::size_t> SpanList::visible(double t0, double t1) const {
  // Segments do not overlap, so their ends are sorted as their starts are.
  const auto first = std::partition_point(
      segments.begin(), segments.end(),
      [t0](const TraceSegment& s) { return static_cast<double>(s.end) <= t0; });
  const auto last = std::partition_point(first, segments.end(), [t1](const TraceSegment& s) {
    return static_cast<double>(s.start) < t1;
  });
  return {static_cast<std::size_t>(first - segments.begin()),
          static_cast<std::size_t>(last - segments.begin())};
}

std::size_t TraceData::span_count() const {
  std::size_t n = 0;
  for (const TraceLane& lane : lanes)
    for (const SpanList& band : lane.bands) n += band.spans.size();
  return n;
}

std::size_t TraceData::activity_index(std::string_view name) const {
  return static_cast<std::size_t>(std::find(activities.begin(), activities.end(), name) -
                                  activities.begin());
}

}  // namespace sgdsim
