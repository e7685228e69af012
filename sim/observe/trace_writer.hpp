#pragma once
// Streams a Chrome trace event file (opens in Perfetto and chrome://tracing): one track per node,
// complete events for spans of activity, instant events for synchronisation checkpoints.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/engine/time.hpp"

namespace sgdsim {

/// Writes trace events as they happen, so a long run never holds its trace in memory. After
/// `max_events` spans further ones are counted but not written, and the file says so.
class TraceWriter {
 public:
  /// Starts the file with one named track per entry of `tracks` (track i is tid i).
  TraceWriter(std::ostream& out, const std::vector<std::string>& tracks, std::uint64_t max_events);

  /// A span [start, start + duration) of activity `name` on `track`; `args` is a JSON object body
  /// such as "\"v_read\":3" (may be empty). Zero-length spans are skipped: they draw nothing.
  void span(std::uint32_t track, std::string_view name, SimTime start, SimTime duration,
            std::string_view args = {});

  /// An instant event across all tracks (a checkpoint such as a round end).
  void checkpoint(std::string_view name, SimTime at, std::string_view args = {});

  /// Closes the JSON document. Must be called once, last.
  void finish();

  /// Events written and events left out because of the cap.
  std::uint64_t written() const { return written_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  bool admit();

  std::ostream& out_;
  std::uint64_t max_events_;
  std::uint64_t written_ = 0;
  std::uint64_t dropped_ = 0;
  std::string buffer_;
};

}  // namespace sgdsim
