#include "gui/timeline/trace_halves.hpp"

#include <cstdint>
#include <string>
#include <thread>
#include <unordered_map>

namespace sgdsim::trace_halves {
namespace {

using trace_sax::LaneBuilder;
using trace_sax::TraceSax;

/// What the second half is parsed after: the trace object's opening. The half itself runs from
/// an event to the end of the file, whose closing bracket and otherData end the object.
constexpr std::string_view kReopen = "{\"traceEvents\":[";

/// Where the first half ends: after the "}" of an event followed by ",\n{", at or after the
/// middle of `text`; npos when there is no such place. A raw newline cannot be inside a JSON
/// string, so one followed by "{" is between values; whether it is between two events of the
/// traceEvents array, the two parses check.
std::size_t cut_near_middle(std::string_view text) {
  const std::size_t at = text.find("},\n{", text.size() / 2);
  return at == std::string_view::npos ? at : at + 1;
}

/// The index in `into` of each name of `from`, appending the names `into` lacks.
std::vector<std::uint32_t> merge_table(std::vector<std::string>& into,
                                       const std::vector<std::string>& from) {
  std::vector<std::uint32_t> index;
  for (const std::string& name : from)
    index.push_back(static_cast<std::uint32_t>(trace_sax::intern(into, name)));
  return index;
}

/// Appends `b`, the parse of the events after those of `a`, to `a`, renumbering what `b` numbered
/// on its own (activities, checkpoint kinds, argument sets, lanes) as one pass would have.
void append(TraceData& a, std::vector<LaneBuilder>& a_lanes, TraceData&& b,
            std::vector<LaneBuilder>&& b_lanes) {
  const std::vector<std::uint32_t> activity = merge_table(a.activities, b.activities);
  const std::vector<std::uint32_t> kind = merge_table(a.checkpoint_kinds, b.checkpoint_kinds);
  // b's argument set j > 0 is a's set (a's count) + j; set 0 is "no arguments" on both sides.
  const auto a_sets = static_cast<std::uint32_t>(a.args_offsets.size() - 2);
  const std::size_t base = a.args_text.size();
  a.args_text += b.args_text;
  for (std::size_t j = 2; j < b.args_offsets.size(); ++j)
    a.args_offsets.push_back(base + b.args_offsets[j]);
  const auto args = [a_sets](std::uint32_t j) { return j == 0 ? 0 : a_sets + j; };

  for (const TraceCheckpoint& c : b.checkpoints)
    a.checkpoints.push_back({c.time, kind[c.kind], args(c.args)});
  a.ignored_events += b.ignored_events;
  if (b.events_dropped != 0) a.events_dropped = b.events_dropped;  // otherData ends the file.

  std::unordered_map<std::uint64_t, std::size_t> lane_of;
  for (std::size_t l = 0; l < a_lanes.size(); ++l)
    lane_of[trace_sax::lane_key(a_lanes[l].pid, a_lanes[l].tid)] = l;
  for (LaneBuilder& from : b_lanes) {
    const auto [it, added] =
        lane_of.try_emplace(trace_sax::lane_key(from.pid, from.tid), a_lanes.size());
    if (added) {
      a_lanes.push_back(
          {from.pid, from.tid, from.sort_index, from.sort_index_given, from.name, {}});
    } else {
      // Metadata read later wins, as in one pass.
      LaneBuilder& to = a_lanes[it->second];
      if (!from.name.empty()) to.name = from.name;
      if (from.sort_index_given) to.sort_index = from.sort_index, to.sort_index_given = true;
    }
    LaneBuilder& to = a_lanes[it->second];
    for (std::size_t band = 0; band < kBandCount; ++band)
      for (const TraceSpan& s : from.bands[band])
        to.bands[band].push_back(
            {s.start, s.end, args(s.args), static_cast<std::uint16_t>(activity[s.activity])});
  }
}

}  // namespace

bool parse(std::string_view text, TraceData& data, std::vector<LaneBuilder>& lanes) {
  const std::size_t cut = cut_near_middle(text);
  if (cut == std::string_view::npos) return false;
  // Room for both halves' argument texts, as a one-pass parse reserves: no regrowth when merging.
  data.args_text.reserve(text.size() / 4);
  // The first half, on a thread of its own: it ends after an event, where the parser reports the
  // end of the input, which is right when the parse got there between two events.
  bool first_ok = false;
  TraceSax first(data);
  std::jthread first_half([&] {
    try {
      nlohmann::json::sax_parse(text.data(), text.data() + cut, &first);
      first_ok = first.malformed() && first.between_events() && first.error_position() >= cut;
    } catch (...) {  // Out of memory, say: the one-pass parse on the caller's thread will tell.
      first_ok = false;
    }
  });
  // The second half here, meanwhile, after the array's opening put back.
  std::string second_text;
  second_text.reserve(kReopen.size() + text.size() - cut);
  second_text.append(kReopen).append(text.substr(cut + 2));
  TraceData second_data;
  second_data.args_text.reserve(text.size() / 8);
  TraceSax second(second_data);
  const bool second_ok =
      nlohmann::json::sax_parse(second_text.data(), second_text.data() + second_text.size(),
                                &second) &&
      second.saw_events();
  first_half.join();
  if (!first_ok || !second_ok) return false;
  lanes = std::move(first.lanes());
  append(data, lanes, std::move(second_data), std::move(second.lanes()));
  return true;
}

}  // namespace sgdsim::trace_halves
