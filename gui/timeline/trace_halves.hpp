#pragma once
// Parsing a large trace in two halves on two threads, then merging them into what one pass over
// the whole file would have made. Internal to gui/timeline/ (load_trace uses it).

#include <string_view>
#include <vector>

#include "gui/timeline/trace_data.hpp"
#include "gui/timeline/trace_sax.hpp"

namespace sgdsim::trace_halves {

/// Parses `text`, a trace object with one event per line as sim/observe/trace_writer.cpp writes
/// it, as two halves at once: the first up to an event boundary near the middle, the second from
/// there with the array's opening put back. Fills `data` (tables, checkpoints, arguments, counts)
/// and `lanes` exactly as one TraceSax pass would, and returns true; returns false, leaving
/// `data` and `lanes` to be thrown away, when the text has no such boundary or either half fails
/// to parse, so that the caller parses the whole text itself (and reports its errors as usual).
bool parse(std::string_view text, TraceData& data, std::vector<trace_sax::LaneBuilder>& lanes);

}  // namespace sgdsim::trace_halves
