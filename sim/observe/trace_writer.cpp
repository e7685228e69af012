#include "sim/observe/trace_writer.hpp"

#include <fmt/format.h>

namespace sgdsim {
namespace {

/// Trace timestamps are microseconds; three decimals keep every nanosecond, printed exactly from
/// the integer so no floating-point rounding can differ between machines.
void append_micros(std::string& s, SimTime t) {
  fmt::format_to(std::back_inserter(s), "{}.{:03}", t / 1000, t % 1000);
}

void append_escaped(std::string& s, std::string_view text) {
  for (char c : text) {
    if (c == '"' || c == '\\') s.push_back('\\');
    s.push_back(c);
  }
}

}  // namespace

TraceWriter::TraceWriter(std::ostream& out, const std::vector<std::string>& tracks,
                         std::uint64_t max_events)
    : out_(out), max_events_(max_events) {
  out_ << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
  out_ << R"({"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"sgdsim"}})";
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    buffer_.clear();
    fmt::format_to(std::back_inserter(buffer_),
                   ",\n{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":{},\"args\":{{"
                   "\"name\":\"",
                   i);
    append_escaped(buffer_, tracks[i]);
    buffer_ += "\"}}";
    fmt::format_to(std::back_inserter(buffer_),
                   ",\n{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":{},"
                   "\"args\":{{\"sort_index\":{}}}}}",
                   i, i);
    out_ << buffer_;
  }
}

bool TraceWriter::admit() {
  if (written_ >= max_events_) {
    ++dropped_;
    return false;
  }
  ++written_;
  return true;
}

void TraceWriter::span(std::uint32_t track, std::string_view name, SimTime start, SimTime duration,
                       std::string_view args) {
  if (duration <= 0 || !admit()) return;
  buffer_.clear();
  buffer_ += ",\n{\"name\":\"";
  buffer_ += name;
  buffer_ += "\",\"ph\":\"X\",\"pid\":1,\"tid\":";
  fmt::format_to(std::back_inserter(buffer_), "{}", track);
  buffer_ += ",\"ts\":";
  append_micros(buffer_, start);
  buffer_ += ",\"dur\":";
  append_micros(buffer_, duration);
  if (!args.empty()) {
    buffer_ += ",\"args\":{";
    buffer_ += args;
    buffer_ += '}';
  }
  buffer_ += '}';
  out_ << buffer_;
}

void TraceWriter::checkpoint(std::string_view name, SimTime at, std::string_view args) {
  if (!admit()) return;
  buffer_.clear();
  buffer_ += ",\n{\"name\":\"";
  buffer_ += name;
  buffer_ += "\",\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":0,\"ts\":";
  append_micros(buffer_, at);
  if (!args.empty()) {
    buffer_ += ",\"args\":{";
    buffer_ += args;
    buffer_ += '}';
  }
  buffer_ += '}';
  out_ << buffer_;
}

void TraceWriter::finish() {
  out_ << "\n],\"otherData\":{\"events_written\":" << written_ << ",\"events_dropped\":" << dropped_
       << "}}\n";
}

}  // namespace sgdsim
