#include "gui/trace_activity.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "gui/csv_table.hpp"

namespace sgdsim {
namespace {

/// Trace timestamps and durations are in microseconds.
constexpr double kSecondsPerUnit = 1e-6;

enum class SpanKind { kComputing, kWaiting, kOther };

SpanKind kind_of(const std::string& name) {
  if (name == "compute" || name == "read" || name == "write") return SpanKind::kComputing;
  if (name == "wait" || name == "blocked") return SpanKind::kWaiting;
  return SpanKind::kOther;
}

/// What the streaming parse gathers, by track id.
struct Tally {
  std::map<int, std::string> names;
  std::map<int, TrackActivity> activity;
  std::set<int> computing;  ///< Tracks with compute spans: the workers.
  double end_s = 0.0;

  void add(const nlohmann::json& event) {
    const std::string ph = event.value("ph", "");
    const int tid = event.value("tid", -1);
    if (ph == "M" && event.value("name", "") == "thread_name") {
      names[tid] = event["args"].value("name", "");
      return;
    }
    if (ph != "X") return;
    const double start = event.value("ts", 0.0) * kSecondsPerUnit;
    const double duration = event.value("dur", 0.0) * kSecondsPerUnit;
    end_s = std::max(end_s, start + duration);
    switch (kind_of(event.value("name", ""))) {
      case SpanKind::kComputing:
        activity[tid].computing_s += duration;
        computing.insert(tid);
        break;
      case SpanKind::kWaiting:
        activity[tid].waiting_s += duration;
        break;
      case SpanKind::kOther:
        break;
    }
  }
};

}  // namespace

TraceActivity read_trace_activity(const std::filesystem::path& trace_json) {
  std::ifstream in(trace_json);
  if (!in) throw RunDataError(trace_json.string() + ": cannot be read");
  Tally tally;
  // Each event is handed over once parsed, then dropped: memory stays flat however long the trace.
  const auto keep = [&tally](int depth, nlohmann::json::parse_event_t event,
                             nlohmann::json& parsed) {
    if (event != nlohmann::json::parse_event_t::object_end || depth != 2) return true;
    tally.add(parsed);
    return false;
  };
  TraceActivity result;
  try {
    // What is left: the trace without its events, and otherData.
    const nlohmann::json rest = nlohmann::json::parse(in, keep);
    const nlohmann::json::json_pointer dropped("/otherData/events_dropped");
    result.truncated = rest.contains(dropped) && rest[dropped].get<double>() > 0;
  } catch (const nlohmann::json::exception& e) {
    throw RunDataError(trace_json.string() + ": " + e.what());
  }
  result.end_s = tally.end_s;
  for (const int tid : tally.computing) {
    TrackActivity track = tally.activity[tid];
    track.track = tally.names.contains(tid) ? tally.names[tid] : "track " + std::to_string(tid);
    result.tracks.push_back(track);
  }
  return result;
}

}  // namespace sgdsim
