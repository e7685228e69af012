#pragma once
// The SAX handler load_trace parses trace.json with (nlohmann's interface): it fills a TraceData
// event by event, without ever holding the document. Internal to gui/timeline/.

#include <array>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gui/timeline/trace_data.hpp"

namespace sgdsim::trace_sax {

/// What the value being parsed belongs to.
enum class Where : std::uint8_t {
  kRoot,          // {"traceEvents": [...], "otherData": {...}, ...}
  kEvents,        // the array of events
  kEvent,         // one event
  kArgs,          // an event's "args"
  kNestedObject,  // an object or array inside "args", kept as compact JSON text
  kNestedArray,
  kOtherData,
  kSkipped,  // anything else, with everything inside it
};

/// The last key read, where it matters.
enum class Field : std::uint8_t {
  kOther,
  kTraceEvents,
  kOtherData,
  kDropped,
  kName,
  kPh,
  kPid,
  kTid,
  kTs,
  kDur,
  kArgs,
  kMetaName,
  kMetaSort,
};

/// The index of `name` in `table`, appended when new (tables hold a handful of names).
std::size_t intern(std::vector<std::string>& table, const std::string& name);

/// The key of the lane of process `pid`, thread `tid`, in a map of lanes.
inline std::uint64_t lane_key(std::int64_t pid, std::int64_t tid) {
  return (static_cast<std::uint64_t>(pid) << 32) ^ static_cast<std::uint32_t>(tid);
}

/// A lane as the file describes it, before the lanes are put in order.
struct LaneBuilder {
  std::int64_t pid = 0, tid = 0;
  double sort_index = 0.0;
  bool sort_index_given = false;  ///< sort_index comes from thread_sort_index, not the tid.
  std::string name;
  std::array<std::vector<TraceSpan>, kBandCount> bands;
};

/// The SAX handler: fills a TraceData's checkpoints, tables and counts, and the lanes' spans (in
/// file order; the caller sorts them).
class TraceSax {
 public:
  /// A handler filling `data`.
  explicit TraceSax(TraceData& data) : data_(data) {}

  // nlohmann's SAX callbacks, one per token: each returns false to stop the parse at an error.
  bool null() { return scalar(0.0, "null", false); }
  bool boolean(bool v) { return scalar(0.0, v ? "true" : "false", false); }
  bool number_integer(std::int64_t v) { return integer(v); }
  bool number_unsigned(std::uint64_t v) { return integer(v); }
  bool number_float(double v, const std::string& text) { return scalar(v, text, false); }
  bool string(std::string& v) { return scalar(0.0, v, true); }
  bool binary(nlohmann::json::binary_t&) { return true; }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& k);
  /// Malformed JSON: keeps nlohmann's message and the characters read when it stopped.
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    malformed_ = true;
    error_position_ = position;
    error_ = e.what();
    return false;
  }

  /// Lanes in the file's order of first appearance.
  std::vector<LaneBuilder>& lanes() { return lanes_; }
  /// True once the events array was found.
  bool saw_events() const { return saw_events_; }
  /// Why the parse stopped, when a callback returned false.
  const std::string& error() const { return error_; }
  /// True when the parse stopped at malformed JSON (rather than at an event it cannot take).
  bool malformed() const { return malformed_; }
  /// The characters read when malformed JSON stopped the parse.
  std::size_t error_position() const { return error_position_; }
  /// True when the parse is inside the traceEvents array of a trace object, between two events:
  /// where a first half of a file cut after an event ends.
  bool between_events() const { return stack_.size() == 3 && top() == Where::kEvents; }

 private:
  template <typename Int>
  bool integer(Int v) {
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, v).ptr;
    return scalar(static_cast<double>(v), std::string_view(text, end - text), false);
  }
  bool open(bool object);
  bool close();
  bool scalar(double number, std::string_view text, bool is_string);
  void nested_separator();
  bool commit();
  bool fail(const std::string& what);
  std::uint32_t lane(std::int64_t pid, std::int64_t tid);
  std::uint32_t store_args();
  Where top() const { return stack_.back(); }

  TraceData& data_;
  std::vector<Where> stack_{Where::kSkipped};  // a sentinel: the document itself
  std::vector<bool> nested_first_;             // per nested container: nothing written in it yet
  Field field_ = Field::kOther;
  std::vector<LaneBuilder> lanes_;
  std::unordered_map<std::uint64_t, std::uint32_t> lane_index_;
  bool saw_events_ = false;
  std::uint64_t event_number_ = 0;
  std::string error_;
  bool malformed_ = false;
  std::size_t error_position_ = 0;
  // The event being read: its fields may come in any order, so it is stored when it closes.
  std::string name_, args_, meta_name_;
  char ph_ = 0;
  std::int64_t pid_ = 0, tid_ = 0;
  double ts_ = 0.0, dur_ = 0.0, meta_sort_ = 0.0;
  bool has_ts_ = false, has_dur_ = false, has_meta_sort_ = false;
};

}  // namespace sgdsim::trace_sax
