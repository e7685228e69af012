#pragma once
// How long each worker of a run computed and waited, summed from its trace.json.

#include <filesystem>
#include <string>
#include <vector>

namespace sgdsim {

/// The time one track of a trace (a worker, or a HOGWILD! core) spent computing and waiting.
struct TrackActivity {
  std::string track;         ///< The node's name: w0, w1, ...
  double computing_s = 0.0;  ///< "compute" spans, and HOGWILD!'s "read" and "write" of the model.
  double waiting_s = 0.0;    ///< "wait" and "blocked" spans.
};

/// The activity of every track that computed, in track order.
struct TraceActivity {
  std::vector<TrackActivity> tracks;
  double end_s = 0.0;      ///< The end of the last span.
  bool truncated = false;  ///< output.trace_max_events cut the trace short.
};

/// Streams `trace_json` (Chrome trace format, as sgdsim writes it) without holding its events.
/// Throws RunDataError with the file, line and column when it is malformed.
TraceActivity read_trace_activity(const std::filesystem::path& trace_json);

}  // namespace sgdsim
