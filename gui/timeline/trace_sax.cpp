#include "gui/timeline/trace_sax.hpp"

#include <algorithm>
#include <cmath>

namespace sgdsim::trace_sax {
namespace {

/// The field of an event named `k`. Every event has half a dozen keys, so this is one of the
/// parser's hot spots: a switch on the length before any comparison.
Field event_field(std::string_view k) {
  switch (k.size()) {
    case 2:
      if (k == "ph") return Field::kPh;
      if (k == "ts") return Field::kTs;
      break;
    case 3:
      if (k == "pid") return Field::kPid;
      if (k == "tid") return Field::kTid;
      if (k == "dur") return Field::kDur;
      break;
    case 4:
      if (k == "name") return Field::kName;
      if (k == "args") return Field::kArgs;
      break;
    default:
      break;
  }
  return Field::kOther;
}

/// Trace timestamps are microseconds, with nanoseconds in three decimals.
std::int64_t to_ns(double micros) {
  return std::llround(micros * 1000.0);
}

/// True when `number` converts to a 64-bit integer (NaN and infinities do not).
bool fits_int64(double number) {
  return std::abs(number) < 9.2e18;
}

}  // namespace

std::size_t intern(std::vector<std::string>& table, const std::string& name) {
  const auto it = std::find(table.begin(), table.end(), name);
  if (it != table.end()) return static_cast<std::size_t>(it - table.begin());
  table.push_back(name);
  return table.size() - 1;
}

bool TraceSax::open(bool object) {
  Where next = Where::kSkipped;
  switch (top()) {
    case Where::kSkipped:
      // The document: an object holding traceEvents, or (JSON array format) the events.
      if (stack_.size() == 1) next = object ? Where::kRoot : Where::kEvents;
      break;
    case Where::kRoot:
      if (field_ == Field::kTraceEvents && !object) next = Where::kEvents;
      if (field_ == Field::kOtherData && object) next = Where::kOtherData;
      break;
    case Where::kEvents:
      ++event_number_;
      if (!object) return fail("an event is an array, not an object");
      name_.clear(), args_.clear(), meta_name_.clear();
      ph_ = 0, pid_ = 0, tid_ = 0;
      has_ts_ = has_dur_ = has_meta_sort_ = false;
      next = Where::kEvent;
      break;
    case Where::kEvent:
      if (field_ == Field::kArgs && object) next = Where::kArgs;
      break;
    case Where::kArgs:
    case Where::kNestedObject:
    case Where::kNestedArray:
      nested_separator();
      args_ += object ? '{' : '[';
      nested_first_.push_back(true);
      next = object ? Where::kNestedObject : Where::kNestedArray;
      break;
    case Where::kOtherData:
      break;
  }
  if (next == Where::kEvents) saw_events_ = true;
  stack_.push_back(next);
  return true;
}

bool TraceSax::close() {
  const Where closed = top();
  stack_.pop_back();
  if (closed == Where::kNestedObject || closed == Where::kNestedArray) {
    args_ += closed == Where::kNestedObject ? '}' : ']';
    nested_first_.pop_back();
  }
  return closed == Where::kEvent ? commit() : true;
}

bool TraceSax::key(std::string& k) {
  switch (top()) {
    case Where::kRoot:
      field_ = k == "traceEvents" ? Field::kTraceEvents
               : k == "otherData" ? Field::kOtherData
                                  : Field::kOther;
      break;
    case Where::kOtherData:
      field_ = k == "events_dropped" ? Field::kDropped : Field::kOther;
      break;
    case Where::kEvent:
      field_ = event_field(std::string_view(k));
      break;
    case Where::kArgs:
      // One "key: value" line per argument, the form a tooltip shows.
      if (!args_.empty()) args_ += '\n';
      args_ += k;
      args_ += ": ";
      field_ = std::string_view(k) == "name"         ? Field::kMetaName
               : std::string_view(k) == "sort_index" ? Field::kMetaSort
                                                     : Field::kOther;
      break;
    case Where::kNestedObject:
      nested_separator();
      args_ += nlohmann::json(k).dump();
      args_ += ':';
      nested_first_.back() = true;  // the value follows the colon without a comma
      break;
    default:
      break;
  }
  return true;
}

void TraceSax::nested_separator() {
  if (nested_first_.empty()) return;
  if (!nested_first_.back()) args_ += ',';
  nested_first_.back() = false;
}

bool TraceSax::scalar(double number, std::string_view text, bool is_string) {
  switch (top()) {
    case Where::kEvent:
      switch (field_) {
        case Field::kName:
          name_ = text;
          break;
        case Field::kPh:
          ph_ = text.empty() ? '\0' : text[0];
          break;
        // Converting a double out of range is undefined behaviour (found by fuzzing).
        case Field::kPid:
          if (!fits_int64(number)) return fail("\"pid\" out of range");
          pid_ = static_cast<std::int64_t>(number);
          break;
        case Field::kTid:
          if (!fits_int64(number)) return fail("\"tid\" out of range");
          tid_ = static_cast<std::int64_t>(number);
          break;
        case Field::kTs:
          ts_ = number, has_ts_ = !is_string;
          break;
        case Field::kDur:
          dur_ = number, has_dur_ = !is_string;
          break;
        default:
          break;
      }
      break;
    case Where::kArgs:
      args_ += text;
      if (field_ == Field::kMetaName && is_string) meta_name_ = text;
      if (field_ == Field::kMetaSort && !is_string) meta_sort_ = number, has_meta_sort_ = true;
      break;
    case Where::kNestedObject:
    case Where::kNestedArray:
      nested_separator();
      args_ += is_string ? nlohmann::json(text).dump() : std::string(text);
      break;
    case Where::kOtherData:
      if (field_ == Field::kDropped) {
        if (!(number >= 0.0 && number < 1.8e19)) {
          error_ = "\"otherData\": \"events_dropped\" out of range";
          return false;
        }
        data_.events_dropped = static_cast<std::uint64_t>(number);
      }
      break;
    case Where::kEvents:
      ++event_number_;
      return fail("an event is a " + std::string(is_string ? "string" : "number") +
                  ", not an object");
    case Where::kSkipped:
      if (stack_.size() == 1) return fail("the document is not an object or an array");
      break;
    case Where::kRoot:
      break;
  }
  return true;
}

bool TraceSax::fail(const std::string& what) {
  error_ = "event " + std::to_string(event_number_) + " of traceEvents: " + what;
  if (event_number_ == 0) error_ = what;
  return false;
}

std::uint32_t TraceSax::lane(std::int64_t pid, std::int64_t tid) {
  const auto [it, added] =
      lane_index_.try_emplace(lane_key(pid, tid), static_cast<std::uint32_t>(lanes_.size()));
  if (added) {
    lanes_.emplace_back();
    lanes_.back().pid = pid, lanes_.back().tid = tid;
    lanes_.back().sort_index = static_cast<double>(tid);
  }
  return it->second;
}

std::uint32_t TraceSax::store_args() {
  if (args_.empty()) return 0;
  data_.args_text += args_;
  data_.args_offsets.push_back(data_.args_text.size());
  return static_cast<std::uint32_t>(data_.args_offsets.size() - 2);
}

bool TraceSax::commit() {
  if (ph_ == 'M') {
    if (name_ == "thread_name" && !meta_name_.empty()) lanes_[lane(pid_, tid_)].name = meta_name_;
    if (name_ == "thread_sort_index" && has_meta_sort_) {
      lanes_[lane(pid_, tid_)].sort_index = meta_sort_;
      lanes_[lane(pid_, tid_)].sort_index_given = true;
    }
    return true;
  }
  if (ph_ != 'X' && ph_ != 'i' && ph_ != 'I') {
    ++data_.ignored_events;
    return true;
  }
  if (!has_ts_) return fail("no numeric \"ts\"");
  // Beyond about 100 days the nanoseconds would not fit in 64 bits.
  if (!(std::abs(ts_) < 9e15)) return fail("\"ts\" out of range");
  const std::int64_t start = to_ns(ts_);
  if (ph_ != 'X') {
    const std::size_t kind = intern(data_.checkpoint_kinds, name_);
    data_.checkpoints.push_back({start, static_cast<std::uint32_t>(kind), store_args()});
    return true;
  }
  if (!has_dur_ || !(dur_ >= 0.0 && dur_ < 9e15))
    return fail("a complete event (\"ph\":\"X\") needs a \"dur\" of 0 or more");
  const std::size_t activity = intern(data_.activities, name_);
  if (activity > UINT16_MAX) return fail("more than 65536 distinct span names");
  const TraceSpan span{start, start + to_ns(dur_), store_args(),
                       static_cast<std::uint16_t>(activity)};
  lanes_[lane(pid_, tid_)].bands[static_cast<std::size_t>(band_of(name_))].push_back(span);
  return true;
}

}  // namespace sgdsim::trace_sax
