#pragma once
// A run's trace.json in memory, arranged for drawing: one lane per track (worker, parameter node
// or HOGWILD! core), its spans sorted by start in two bands (what the node does, and what it sends
// and receives), a level-of-detail pyramid per band, and the synchronisation checkpoints.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sgdsim {

/// One span of activity on a lane, [start, end) in nanoseconds of simulated time.
struct TraceSpan {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::uint32_t args = 0;      ///< Index into TraceData::args; 0 is "no arguments".
  std::uint16_t activity = 0;  ///< Index into TraceData::activities.
};

/// What is drawn of a band: a piece of one span, none overlapping another.
struct TraceSegment {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::uint32_t span = 0;      ///< Index of the span in its SpanList::spans.
  std::uint16_t activity = 0;  ///< The span's activity.
};

/// The bands of a lane. Transfers overlap what a node does (a worker receives the model while it
/// waits for it) and each other (a ring all-reduce sends and receives at once), so sending and
/// receiving get bands of their own instead of hiding each other.
enum class Band : std::uint8_t { kWork = 0, kSend = 1, kReceive = 2 };
inline constexpr std::size_t kBandCount = 3;

/// The band of an activity: "send", "receive", or work for every other name.
Band band_of(std::string_view activity);

/// The segments of `spans` (sorted by start) as they are drawn: at each instant, the span that
/// started last among those in progress (on a tie, the later one in `spans`), so a span nested in
/// another (an SSP "blocked" inside a "wait") shows within it, and a span cut short by a later one
/// (a preempted computation) ends where the later one starts. Gaps stay gaps.
std::vector<TraceSegment> flatten(std::span<const TraceSpan> spans);

/// The time spent per activity in buckets of power-of-two widths, so that drawing a zoomed-out
/// band costs a few additions per pixel column however many spans it holds. Level 0's bucket is
/// about four times the average gap between the band's segment starts (so the pyramid is about a
/// quarter the size of the segments); each level above halves the count. Sums are exact integer
/// nanoseconds of the segments clipped to each bucket.
class ActivityPyramid {
 public:
  /// An empty pyramid (a band without spans).
  ActivityPyramid() = default;

  /// Builds the pyramid of `segments` with buckets starting at `origin`, which is no later than
  /// any segment's start.
  ActivityPyramid(std::span<const TraceSegment> segments, std::int64_t origin);

  /// The number of levels; 0 when the band has no spans.
  std::size_t levels() const { return levels_.size(); }

  /// The width of level `level`'s buckets in nanoseconds.
  std::int64_t bucket_width(std::size_t level) const {
    return std::int64_t{1} << (shift0_ + level);
  }

  /// The number of buckets of level `level`; bucket b covers origin + [b, b + 1) * width.
  std::size_t bucket_count(std::size_t level) const {
    return levels_[level].size() / activities_.size();
  }

  /// The start of bucket 0.
  std::int64_t origin() const { return origin_; }

  /// The activities present in the band (indices into TraceData::activities), in the order of
  /// the columns of each bucket.
  const std::vector<std::uint16_t>& activities() const { return activities_; }

  /// The time spent on activities()[column] within bucket `bucket` of level `level`.
  std::int64_t time(std::size_t level, std::size_t bucket, std::size_t column) const {
    return levels_[level][bucket * activities_.size() + column];
  }

  /// Adds to `out[column]` the time spent on each activity within [t0, t1), read from the
  /// coarsest level whose buckets are no wider than the window, the partial buckets at either end
  /// counted in proportion to their overlap. Exact when t0 and t1 are bucket boundaries of that
  /// level; otherwise off by less than two buckets' worth, which is what a pixel column can show.
  void accumulate(double t0, double t1, std::span<double> out) const;

 private:
  std::int64_t origin_ = 0;
  int shift0_ = 0;  // log2 of level 0's bucket width
  std::vector<std::uint16_t> activities_;
  std::vector<std::vector<std::int64_t>> levels_;  // per level, bucket-major
};

/// The spans of one band of a lane, and what draws and finds them fast.
struct SpanList {
  std::vector<TraceSpan> spans;        ///< Sorted by start; spans may overlap.
  std::vector<TraceSegment> segments;  ///< flatten(spans): sorted, none overlapping.
  ActivityPyramid pyramid;             ///< Of the segments.

  /// The index range [first, last) of the segments that intersect [t0, t1).
  std::pair<std::size_t, std::size_t> visible(double t0, double t1) const;
};

/// A track of the trace: a worker, a parameter node, or a HOGWILD! core.
struct TraceLane {
  std::string name;                        ///< The track's thread_name: "w3", "ps0", ...
  std::array<SpanList, kBandCount> bands;  ///< Indexed by Band.

  /// The spans of band `b`.
  const SpanList& band(Band b) const { return bands[static_cast<std::size_t>(b)]; }
};

/// An instant across all lanes: a round end, a batch end, a barrier, an all-reduce step, a
/// worker's failure.
struct TraceCheckpoint {
  std::int64_t time = 0;   ///< Nanoseconds.
  std::uint32_t kind = 0;  ///< Index into TraceData::checkpoint_kinds.
  std::uint32_t args = 0;  ///< Index into TraceData::args.
};

/// A whole trace, immutable once loaded (the view shares it with whoever loaded it).
struct TraceData {
  std::vector<TraceLane> lanes;  ///< In the trace's track order (thread_sort_index, then tid).
  std::vector<std::string> activities;        ///< Span names: "compute", "send", "wait", ...
  std::vector<TraceCheckpoint> checkpoints;   ///< Sorted by time.
  std::vector<std::string> checkpoint_kinds;  ///< Checkpoint names: "round end", ...
  std::int64_t begin = 0;            ///< The earliest start of any span or checkpoint (ns).
  std::int64_t end = 0;              ///< The latest end of any span or checkpoint (ns).
  std::uint64_t events_dropped = 0;  ///< Events the writer left out (output.trace_max_events).
  std::uint64_t ignored_events = 0;  ///< Events of kinds the timeline does not draw.

  /// The text of argument set `index`: one "key: value" line per argument, "" for index 0.
  std::string_view args(std::uint32_t index) const {
    return std::string_view(args_text).substr(args_offsets[index],
                                              args_offsets[index + 1] - args_offsets[index]);
  }

  /// Spans in all lanes and bands.
  std::size_t span_count() const;

  /// The index of `name` in activities, or activities.size() when the trace has none.
  std::size_t activity_index(std::string_view name) const;

  /// Every argument text end to end: one buffer keeps a million small strings off the heap.
  std::string args_text;
  std::vector<std::size_t> args_offsets{0, 0};  ///< args(i) is [offsets[i], offsets[i + 1]).
};

/// Reads a Chrome trace event file (as sim/observe/trace_writer.cpp writes it, or any trace in the
/// JSON object or array format): complete events ("ph":"X") become spans, instant events
/// ("ph":"i"/"I") checkpoints, thread_name and thread_sort_index metadata name and order the
/// lanes; other events are counted in ignored_events. Throws std::runtime_error naming the file
/// and, for malformed JSON, the line, column and byte offset of the error. A file of
/// `halves_above` bytes or more (one event per line, as sgdsim writes them) is parsed in two
/// halves on two threads, with the same result.
std::shared_ptr<const TraceData> load_trace(const std::filesystem::path& trace_json,
                                            std::size_t halves_above = std::size_t{8} << 20);

}  // namespace sgdsim
