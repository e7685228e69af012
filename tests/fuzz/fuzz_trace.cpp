// The timeline's trace loader on arbitrary bytes: it either loads a trace or throws
// std::runtime_error naming the file. The input is loaded twice, in one pass and made to split in
// two halves on two threads: both must fail with the same message, or load the same trace.

#include <stdexcept>

#include "gui/timeline/trace_data.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using sgdsim::fuzz::finding;

/// Aborts unless the two loads hold the same lanes, spans, checkpoints, arguments and counts.
void check_same(const sgdsim::TraceData& a, const sgdsim::TraceData& b) {
  if (a.activities != b.activities || a.checkpoint_kinds != b.checkpoint_kinds ||
      a.begin != b.begin || a.end != b.end || a.events_dropped != b.events_dropped ||
      a.ignored_events != b.ignored_events || a.checkpoints.size() != b.checkpoints.size() ||
      a.lanes.size() != b.lanes.size())
    finding("the halves' tables or counts differ from one pass's");
  for (std::size_t i = 0; i < a.checkpoints.size(); ++i) {
    const sgdsim::TraceCheckpoint &x = a.checkpoints[i], &y = b.checkpoints[i];
    if (x.time != y.time || x.kind != y.kind || a.args(x.args) != b.args(y.args))
      finding("a checkpoint differs");
  }
  for (std::size_t l = 0; l < a.lanes.size(); ++l) {
    if (a.lanes[l].name != b.lanes[l].name) finding("a lane's name differs");
    for (std::size_t band = 0; band < sgdsim::kBandCount; ++band) {
      const sgdsim::SpanList &x = a.lanes[l].bands[band], &y = b.lanes[l].bands[band];
      if (x.spans.size() != y.spans.size() || x.segments.size() != y.segments.size())
        finding("a band's span or segment count differs");
      for (std::size_t i = 0; i < x.spans.size(); ++i) {
        const sgdsim::TraceSpan &p = x.spans[i], &q = y.spans[i];
        if (p.start != q.start || p.end != q.end || p.activity != q.activity ||
            a.args(p.args) != b.args(q.args))
          finding("a span differs");
      }
    }
  }
}

}  // namespace

/// libFuzzer's entry point: one input, the text of a trace.json.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static sgdsim::fuzz::MemoryFile file("trace.json");
  file.write(data, size);
  std::shared_ptr<const sgdsim::TraceData> loaded[2];
  std::string errors[2];
  for (std::size_t i = 0; i < 2; ++i) {
    try {
      loaded[i] = sgdsim::load_trace(file.path(), i == 0 ? SIZE_MAX : 0);
    } catch (const std::runtime_error& e) {
      errors[i] = e.what();
    }
  }
  if (errors[0] != errors[1]) finding("one pass and halves fail differently");
  if (loaded[0] && loaded[1]) check_same(*loaded[0], *loaded[1]);
  return 0;
}
