// load_trace: a SAX pass over the file (no DOM: a million events would cost a gigabyte of
// nlohmann::json nodes; a large file in two halves on two threads), then per band a sort, the
// flattening into segments and a pyramid.

#include "gui/timeline/trace_data.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "gui/timeline/trace_halves.hpp"
#include "gui/timeline/trace_sax.hpp"

namespace sgdsim {
namespace {

using trace_sax::LaneBuilder;
using trace_sax::TraceSax;

/// A file mapped into memory, read-only. Parsing straight from the page cache saves copying a
/// hundred megabytes into a zero-filled string first, which took a third of the loading time.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error(path.string() + ": cannot be read");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    void* p =
        size_ == 0 ? nullptr : ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw std::runtime_error(path.string() + ": cannot be read");
    data_ = static_cast<const char*>(p);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view text() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

/// "file:line:column: malformed JSON (byte B): what", at the last character the parser read
/// (lines and columns from 1, bytes from 0; column 0 for an empty file).
std::string json_error(const std::filesystem::path& path, std::string_view text,
                       std::size_t chars_read, const std::string& what) {
  const std::size_t read = std::min(chars_read, text.size());
  const std::size_t at = read == 0 ? 0 : read - 1;
  const std::size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
  const std::size_t newline = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
  const std::size_t column =
      read == 0 ? 0 : at - (newline == std::string_view::npos ? 0 : newline + 1) + 1;
  // nlohmann's message starts with its own "[json.exception...] parse error at line L, column C: ".
  const std::size_t cut = what.find(": ");
  const std::string reason = cut == std::string::npos ? what : what.substr(cut + 2);
  return path.string() + ":" + std::to_string(line) + ":" + std::to_string(column) +
         ": malformed JSON (byte " + std::to_string(at) + "): " + reason;
}

/// Puts the lanes in track order, sorts their spans and builds the pyramids.
void arrange(std::vector<LaneBuilder>& built, TraceData& data) {
  std::stable_sort(built.begin(), built.end(), [](const LaneBuilder& a, const LaneBuilder& b) {
    return std::tie(a.pid, a.sort_index, a.tid) < std::tie(b.pid, b.sort_index, b.tid);
  });
  bool any = !data.checkpoints.empty();
  data.begin = any ? data.checkpoints.front().time : 0;
  data.end = data.begin;
  for (const TraceCheckpoint& c : data.checkpoints)
    data.begin = std::min(data.begin, c.time), data.end = std::max(data.end, c.time);
  for (const LaneBuilder& lane : built)
    for (const auto& spans : lane.bands)
      for (const TraceSpan& s : spans) {
        if (!any) data.begin = s.start, data.end = s.end, any = true;
        data.begin = std::min(data.begin, s.start), data.end = std::max(data.end, s.end);
      }
  std::stable_sort(
      data.checkpoints.begin(), data.checkpoints.end(),
      [](const TraceCheckpoint& a, const TraceCheckpoint& b) { return a.time < b.time; });
  data.lanes.resize(built.size());
  for (std::size_t l = 0; l < built.size(); ++l) {
    TraceLane& lane = data.lanes[l];
    lane.name = built[l].name.empty() ? "tid " + std::to_string(built[l].tid) : built[l].name;
    for (std::size_t b = 0; b < kBandCount; ++b) {
      SpanList& list = lane.bands[b];
      list.spans = std::move(built[l].bands[b]);
      std::stable_sort(list.spans.begin(), list.spans.end(),
                       [](const TraceSpan& x, const TraceSpan& y) { return x.start < y.start; });
      list.segments = flatten(list.spans);
      list.pyramid = ActivityPyramid(list.segments, data.begin);
    }
  }
}

/// Parses all of `text` (the file `trace_json`) in one pass into `data`; returns the lanes.
std::vector<LaneBuilder> parse_whole(const std::filesystem::path& trace_json, std::string_view text,
                                     TraceData& data) {
  // More than sgdsim's traces need (a sixth of the file), so that the text never moves: untouched
  // reserved pages cost nothing, while a regrowth copies and touches everything again.
  data.args_text.reserve(text.size() / 4);
  TraceSax sax(data);
  if (!nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &sax)) {
    if (sax.malformed())
      throw std::runtime_error(json_error(trace_json, text, sax.error_position(), sax.error()));
    throw std::runtime_error(trace_json.string() + ": " + sax.error());
  }
  if (!sax.saw_events())
    throw std::runtime_error(trace_json.string() + ": no \"traceEvents\" array: not a trace");
  return std::move(sax.lanes());
}

}  // namespace

std::shared_ptr<const TraceData> load_trace(const std::filesystem::path& trace_json,
                                            std::size_t halves_above) {
  const MappedFile file(trace_json);
  const std::string_view text = file.text();
  auto data = std::make_shared<TraceData>();
  std::vector<LaneBuilder> lanes;
  // A large file in two halves at once (the parse is most of an open); anything that does not
  // split cleanly, malformed files included, is parsed in one pass, which says what is wrong.
  const bool halves = text.size() >= halves_above && std::thread::hardware_concurrency() >= 2 &&
                      trace_halves::parse(text, *data, lanes);
  if (!halves) {
    *data = TraceData{};
    lanes = parse_whole(trace_json, text, *data);
  }
  arrange(lanes, *data);
  return data;
}

}  // namespace sgdsim
