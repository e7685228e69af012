// The timeline (gui/timeline/): loading a simulator's trace.json, errors on malformed files, the
// flattening of overlapping spans and the level-of-detail pyramid, and rendering offscreen.

#include <QApplication>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "gui/timeline/timeline_view.hpp"
#include "gui/timeline/trace_data.hpp"
#include "gui/timeline/trace_halves.hpp"
#include "tests/support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

/// Four workers in synchronous rounds, one of them slow, through one parameter node.
const std::string kRun =
    "name: timeline\nseed: 3\ncluster: {workers: 4}\n"
    "compute: {time: {dist: shifted_exponential, shift: 1ms, mean: 1ms}, worker_factors: {2: 3}}\n"
    "network: {latency: 50us, bandwidth: 10Gbit/s}\nmodel: {dimension: 1000}\n"
    "stop: {updates: 20}\n";

/// The error load_trace throws for file `path` holding `text`, checked to be the same whether the
/// file is parsed in one pass or made to split into halves.
std::string load_error(const std::filesystem::path& path, const std::string& text) {
  write_text(path, text);
  std::string messages[2] = {"no error", "no error"};
  for (std::size_t i = 0; i < 2; ++i) {
    try {
      load_trace(path, i == 0 ? SIZE_MAX : 0);
    } catch (const std::runtime_error& e) {
      messages[i] = e.what();
    }
  }
  CHECK(messages[1] == messages[0]);
  return messages[0];
}

/// Checks that two loads of one trace hold the same lanes, spans, segments, checkpoints,
/// argument texts and counts.
void check_same_trace(const TraceData& a, const TraceData& b) {
  CHECK(a.activities == b.activities);
  CHECK(a.checkpoint_kinds == b.checkpoint_kinds);
  CHECK((a.begin == b.begin && a.end == b.end));
  CHECK(a.events_dropped == b.events_dropped);
  CHECK(a.ignored_events == b.ignored_events);
  REQUIRE(a.checkpoints.size() == b.checkpoints.size());
  for (std::size_t i = 0; i < a.checkpoints.size(); ++i) {
    const TraceCheckpoint &x = a.checkpoints[i], &y = b.checkpoints[i];
    CHECK((x.time == y.time && x.kind == y.kind && a.args(x.args) == b.args(y.args)));
  }
  REQUIRE(a.lanes.size() == b.lanes.size());
  for (std::size_t l = 0; l < a.lanes.size(); ++l) {
    CHECK(a.lanes[l].name == b.lanes[l].name);
    for (std::size_t band = 0; band < kBandCount; ++band) {
      const SpanList &x = a.lanes[l].bands[band], &y = b.lanes[l].bands[band];
      REQUIRE(x.spans.size() == y.spans.size());
      for (std::size_t i = 0; i < x.spans.size(); ++i) {
        const TraceSpan &p = x.spans[i], &q = y.spans[i];
        CHECK((p.start == q.start && p.end == q.end && p.activity == q.activity));
        CHECK(a.args(p.args) == b.args(q.args));
      }
      CHECK(x.segments.size() == y.segments.size());
    }
  }
}

/// Every segment's duration, summed per activity.
std::map<std::uint16_t, std::int64_t> segment_totals(const SpanList& list) {
  std::map<std::uint16_t, std::int64_t> totals;
  for (const TraceSegment& s : list.segments) totals[s.activity] += s.end - s.start;
  return totals;
}

/// The time the segments of `activity` spend in [lo, hi), by brute force.
std::int64_t clipped(const SpanList& list, std::uint16_t activity, std::int64_t lo,
                     std::int64_t hi) {
  std::int64_t sum = 0;
  for (const TraceSegment& s : list.segments)
    if (s.activity == activity)
      sum += std::max<std::int64_t>(0, std::min(hi, s.end) - std::max(lo, s.start));
  return sum;
}

/// The Qt application the rendering tests need, on the offscreen platform unless told otherwise.
void ensure_application() {
  if (QApplication::instance() != nullptr) return;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  static int argc = 1;
  static char name[] = "sgdsim_gui_timeline_tests";
  static char* argv[] = {name, nullptr};
  static QApplication app(argc, argv);
}

}  // namespace

TEST_CASE("load_trace reads the lanes, spans and checkpoints the simulator wrote") {
  TempDir dir;
  const auto run = run_yaml(dir, kRun);
  const auto trace = load_trace(run / "trace.json");
  // What the file holds, counted through a DOM (fine for a small file).
  const auto json = nlohmann::json::parse(read_text(run / "trace.json"));
  std::size_t spans = 0, instants = 0;
  std::int64_t last_end = 0;
  for (const auto& e : json["traceEvents"]) {
    if (e["ph"] == "X") ++spans;
    if (e["ph"] == "i") ++instants;
    if (e["ph"] == "X")
      last_end = std::max<std::int64_t>(
          last_end, std::llround((e["ts"].get<double>() + e["dur"].get<double>()) * 1000));
  }
  REQUIRE(trace->lanes.size() == 5);
  CHECK(trace->lanes[0].name == "ps0");
  CHECK(trace->lanes[3].name == "w2");
  CHECK(trace->span_count() == spans);
  CHECK(trace->checkpoints.size() == instants);
  CHECK(trace->checkpoints.size() == 20);  // one round end per update
  CHECK(trace->checkpoint_kinds == std::vector<std::string>{"round end"});
  CHECK(trace->events_dropped == 0);
  CHECK(trace->begin == 0);
  CHECK(trace->end == last_end);
  for (const char* name : {"compute", "wait", "send", "receive"})
    CHECK(trace->activity_index(name) < trace->activities.size());
  // Each band holds its own activities, sorted by start; computing carries the version read.
  for (const TraceLane& lane : trace->lanes)
    for (std::size_t b = 0; b < kBandCount; ++b)
      for (std::size_t i = 0; i < lane.bands[b].spans.size(); ++i) {
        const TraceSpan& s = lane.bands[b].spans[i];
        CHECK(static_cast<std::size_t>(band_of(trace->activities[s.activity])) == b);
        if (i > 0) CHECK(lane.bands[b].spans[i - 1].start <= s.start);
        if (trace->activities[s.activity] == "compute")
          CHECK(trace->args(s.args).starts_with("v_read: "));
      }
  CHECK(trace->args(trace->checkpoints.back().args) == "round: 19");
  // The slow worker computes three times as long as the others.
  const auto computing = [&](std::size_t lane) {
    return segment_totals(trace->lanes[lane].band(
        Band::kWork))[static_cast<std::uint16_t>(trace->activity_index("compute"))];
  };
  CHECK(computing(3) > 2 * computing(1));
}

TEST_CASE("a trace parsed in two halves at once is the trace parsed in one pass") {
  TempDir dir;
  for (const auto& [name, overrides] : std::vector<std::pair<std::string, std::vector<Override>>>{
           {"sync", {{"stop.updates=200"}}},
           {"async", {{"algorithm.type=async"}, {"stop.updates=2000"}}},
           {"capped", {{"algorithm.type=async"}, {"output.trace_max_events=3001"}}}}) {
    INFO(name);
    const auto run = run_yaml(dir, kRun, name, overrides);
    // The simulator's traces do split (else load_trace would quietly parse them in one pass).
    const std::string text = read_text(run / "trace.json");
    TraceData split;
    std::vector<trace_sax::LaneBuilder> lanes;
    CHECK(trace_halves::parse(text, split, lanes));
    const auto one_pass = load_trace(run / "trace.json", SIZE_MAX);
    const auto halves = load_trace(run / "trace.json", 0);
    REQUIRE(one_pass->span_count() > 100);
    check_same_trace(*halves, *one_pass);
  }
}

TEST_CASE("load_trace says how many events the cap left out") {
  TempDir dir;
  const auto run = run_yaml(dir, kRun, "run", {{"output.trace_max_events=100"}});
  const auto trace = load_trace(run / "trace.json");
  CHECK(trace->span_count() + trace->checkpoints.size() == 100);
  const auto json = nlohmann::json::parse(read_text(run / "trace.json"));
  CHECK(trace->events_dropped == json["otherData"]["events_dropped"].get<std::uint64_t>());
  CHECK(trace->events_dropped > 0);
}

TEST_CASE("malformed traces are reported with the file and the position") {
  TempDir dir;
  const std::string file = (dir / "trace.json").string();
  // A missing comma: the third line's first character.
  std::string e = load_error(dir / "trace.json",
                             "{\"traceEvents\":[\n"
                             "{\"name\":\"a\",\"ph\":\"X\",\"tid\":1,\"ts\":1,\"dur\":2}\n"
                             "{\"name\":\"b\",\"ph\":\"X\",\"tid\":1,\"ts\":3,\"dur\":2}]}");
  CHECK_THAT(e, Catch::StartsWith(file + ":3:1: malformed JSON (byte 62): "));
  CHECK_THAT(e, Catch::Contains("syntax error"));
  // Cut short.
  e = load_error(dir / "trace.json", "{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,");
  CHECK_THAT(e, Catch::StartsWith(file + ":1:44: malformed JSON (byte 43): "));
  CHECK_THAT(e, Catch::Contains("end of input"));
  CHECK_THAT(load_error(dir / "trace.json", ""),
             Catch::StartsWith(file + ":1:0: malformed JSON (byte 0)"));
  // Well-formed, but not a trace.
  CHECK(load_error(dir / "trace.json", "{\"traceEvent\":[]}") ==
        file + ": no \"traceEvents\" array: not a trace");
  CHECK(load_error(dir / "trace.json", "[1]") ==
        file + ": event 1 of traceEvents: an event is a number, not an object");
  CHECK(
      load_error(dir / "trace.json", "[{\"ph\":\"M\"},{\"name\":\"a\",\"ph\":\"X\",\"ts\":1}]") ==
      file +
          ": event 2 of traceEvents: a complete event (\"ph\":\"X\") needs a \"dur\" of 0 or more");
  CHECK(load_error(dir / "trace.json", "{\"traceEvents\":[{\"ph\":\"i\",\"ts\":\"soon\"}]}") ==
        file + ": event 1 of traceEvents: no numeric \"ts\"");
  // Numbers beyond 64-bit integers (found by fuzzing: tests/fuzz/corpus/fuzz_trace/pid_range).
  CHECK(load_error(dir / "trace.json", "[{\"ph\":\"i\",\"ts\":1,\"pid\":5.5e73}]") ==
        file + ": event 1 of traceEvents: \"pid\" out of range");
  CHECK(load_error(dir / "trace.json", "[{},{\"tid\":18446744073709551615}]") ==
        file + ": event 2 of traceEvents: \"tid\" out of range");
  CHECK(load_error(dir / "trace.json",
                   "{\"traceEvents\":[],\"otherData\":{\"events_dropped\":-1}}") ==
        file + ": \"otherData\": \"events_dropped\" out of range");
  {  // One line: no boundary to cut at, so one pass.
    TraceData data;
    std::vector<trace_sax::LaneBuilder> lanes;
    CHECK_FALSE(trace_halves::parse(read_text(dir / "trace.json"), data, lanes));
  }
  CHECK_THROWS_WITH(load_trace(dir / "missing.json"),
                    (dir / "missing.json").string() + ": cannot be read");
  // The JSON array format and events of kinds the timeline does not draw are fine.
  write_text(dir / "trace.json",
             "[{\"ph\":\"C\",\"ts\":0,\"args\":{\"x\":{\"y\":[1,\"z\"]}}},"
             "{\"name\":\"compute\",\"ph\":\"X\",\"tid\":7,\"ts\":0.5,\"dur\":1.25,"
             "\"args\":{\"v_read\":3,\"nested\":{\"a\":[1,\"b\"]}}}]");
  const auto trace = load_trace(dir / "trace.json");
  CHECK(trace->ignored_events == 1);
  REQUIRE(trace->lanes.size() == 1);
  CHECK(trace->lanes[0].name == "tid 7");
  const TraceSpan& s = trace->lanes[0].band(Band::kWork).spans.at(0);
  CHECK((s.start == 500 && s.end == 1750));
  CHECK(trace->args(s.args) == "v_read: 3\nnested: {\"a\":[1,\"b\"]}");
}

TEST_CASE("flatten shows the span started last, so nested and preempted spans show") {
  // A wait holding a blocked stretch, a computation cut short by the next wait, a zero-length
  // span and a gap.
  const std::vector<TraceSpan> spans{{0, 100, 0, 0},   {30, 50, 0, 1},   {100, 180, 0, 2},
                                     {150, 200, 0, 0}, {160, 160, 0, 3}, {300, 310, 0, 2}};
  const std::vector<TraceSegment> segments = flatten(spans);
  const std::vector<std::array<std::int64_t, 3>> expected{
      {0, 30, 0}, {30, 50, 1}, {50, 100, 0}, {100, 150, 2}, {150, 200, 3}, {300, 310, 5}};
  REQUIRE(segments.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(i);
    CHECK(segments[i].start == expected[i][0]);
    CHECK(segments[i].end == expected[i][1]);
    CHECK(segments[i].span == expected[i][2]);
    CHECK(segments[i].activity == spans[segments[i].span].activity);
  }
}

TEST_CASE("the level-of-detail pyramid sums what it summarises, exactly") {
  TempDir dir;
  const auto trace = load_trace(run_yaml(dir, kRun) / "trace.json");
  std::size_t unoverlapped = 0;
  for (const TraceLane& lane : trace->lanes)
    for (const SpanList& list : lane.bands) {
      const ActivityPyramid& p = list.pyramid;
      if (list.spans.empty()) {
        CHECK(p.levels() == 0);
        continue;
      }
      const auto totals = segment_totals(list);
      CHECK(p.bucket_count(p.levels() - 1) == 1);
      // Every level's buckets add up to the segments' totals.
      for (std::size_t level = 0; level < p.levels(); ++level)
        for (std::size_t c = 0; c < p.activities().size(); ++c) {
          std::int64_t sum = 0;
          for (std::size_t b = 0; b < p.bucket_count(level); ++b) sum += p.time(level, b, c);
          CHECK(sum == totals.at(p.activities()[c]));
        }
      // Level 0 bucket by bucket, against the segments clipped to each bucket.
      const std::int64_t w = p.bucket_width(0);
      for (std::size_t b = 0; b < p.bucket_count(0); ++b)
        for (std::size_t c = 0; c < p.activities().size(); ++c) {
          const std::int64_t lo = p.origin() + static_cast<std::int64_t>(b) * w;
          CHECK(p.time(0, b, c) == clipped(list, p.activities()[c], lo, lo + w));
        }
      // A band whose spans never overlap: the pyramid's sums are the raw spans' sums.
      std::map<std::uint16_t, std::int64_t> raw;
      bool overlap = false;
      for (std::size_t i = 0; i < list.spans.size(); ++i) {
        raw[list.spans[i].activity] += list.spans[i].end - list.spans[i].start;
        overlap = overlap || (i > 0 && list.spans[i].start < list.spans[i - 1].end);
      }
      if (!overlap) {
        CHECK(raw == totals);
        ++unoverlapped;
      }
      // A window that is one bucket of some level is read exactly from that level.
      for (std::size_t level = 0; level < p.levels(); level += 2) {
        const std::size_t bucket = p.bucket_count(level) / 2;
        const std::int64_t lo =
            p.origin() + static_cast<std::int64_t>(bucket) * p.bucket_width(level);
        const std::int64_t hi = lo + p.bucket_width(level);
        std::vector<double> window(p.activities().size(), 0.0);
        p.accumulate(static_cast<double>(lo), static_cast<double>(hi), window);
        for (std::size_t c = 0; c < window.size(); ++c)
          CHECK(window[c] == static_cast<double>(clipped(list, p.activities()[c], lo, hi)));
      }
    }
  CHECK(unoverlapped >= 4);
}

TEST_CASE("the timeline renders offscreen: bars, lane names, tooltips") {
  ensure_application();
  TempDir dir;
  TimelineView view;
  view.resize(1000, 500);
  QImage empty(view.size(), QImage::Format_ARGB32);
  view.render(&empty);  // no trace: a message, no crash
  view.setTrace(load_trace(run_yaml(dir, kRun) / "trace.json"));
  QImage image(view.size(), QImage::Format_ARGB32);
  image.fill(Qt::black);
  view.render(&image);
  const QRect plot = view.plotArea(view.rect());
  REQUIRE(plot.width() > 500);
  std::size_t white = 0, compute = 0, label_ink = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QRgb p = image.pixel(x, y);
      white += p == qRgb(255, 255, 255);
      compute += p == qRgb(0x00, 0x72, 0xB2);
      label_ink += x < plot.left() && y >= plot.top() && y < plot.bottom() && qGray(p) < 128;
    }
  const double pixels = static_cast<double>(image.width()) * image.height();
  CHECK(white < 0.8 * pixels);  // not blank
  CHECK(white > 0.1 * pixels);  // and not painted over either
  CHECK(compute > 0.02 * pixels);
  CHECK(label_ink > 50);  // the lane names
  // Zoomed in on the first round: w2's first computation (it is slow) is under the middle.
  view.setVisibleRange(0.0, 4e6);
  CHECK(view.visibleBegin() == 0.0);
  CHECK(view.visibleEnd() == 4e6);
  QImage zoomed(view.size(), QImage::Format_ARGB32);
  view.render(&zoomed);
  CHECK(zoomed != image);
  const int lane = plot.height() / 5;               // ps0, w0, w1, w2, w3
  const int w2 = plot.top() + 3 * lane + lane / 3;  // the work band, above send and receive
  const QString tip = view.toolTipAt(QPoint(plot.left() + plot.width() / 2, w2));
  CHECK_THAT(tip.toStdString(), Catch::StartsWith("w2: compute\n"));
  CHECK_THAT(tip.toStdString(), Catch::Contains("v_read: 0"));
  CHECK(view.toolTipAt(QPoint(2, 2)).isEmpty());
  view.resetView();
  CHECK(view.visibleBegin() < 0.0);
  CHECK(view.visibleEnd() > static_cast<double>(view.trace()->end));
}

TEST_CASE("the wheel zooms around the cursor; the keys and dragging pan") {
  ensure_application();
  TempDir dir;
  TimelineView view;
  view.resize(1000, 500);
  view.setTrace(load_trace(run_yaml(dir, kRun) / "trace.json"));
  const QRect plot = view.plotArea(view.rect());
  const double begin = view.visibleBegin(), end = view.visibleEnd();
  // A notch of the wheel a quarter of the way across the plot.
  const QPointF at(plot.left() + plot.width() / 4.0, plot.center().y());
  QWheelEvent wheel(at, at, QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(&view, &wheel);
  const double width = view.visibleEnd() - view.visibleBegin();
  CHECK(width == Approx((end - begin) / std::sqrt(2.0)));
  CHECK(view.visibleBegin() + width / 4.0 == Approx(begin + (end - begin) / 4.0));
  // The right arrow pans by a tenth of the view.
  const double zoomed = view.visibleBegin();
  QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::NoModifier);
  QApplication::sendEvent(&view, &right);
  CHECK(view.visibleBegin() == Approx(zoomed + width / 10.0));
  // Dragging 100 pixels to the left shows 100 pixels' worth of later times.
  const double panned = view.visibleBegin();
  const QPointF from(plot.center()), to(plot.center() - QPointF(100, 0));
  QMouseEvent press(QEvent::MouseButtonPress, from, from, Qt::LeftButton, Qt::LeftButton,
                    Qt::NoModifier);
  QMouseEvent move(QEvent::MouseMove, to, to, Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
  QMouseEvent release(QEvent::MouseButtonRelease, to, to, Qt::LeftButton, Qt::NoButton,
                      Qt::NoModifier);
  for (QMouseEvent* e : {&press, &move, &release}) QApplication::sendEvent(&view, e);
  CHECK(view.visibleBegin() == Approx(panned + 100.0 * width / plot.width()).epsilon(0.01));
  CHECK(view.visibleEnd() - view.visibleBegin() == Approx(width));
  // Home shows the whole run again.
  QKeyEvent home(QEvent::KeyPress, Qt::Key_Home, Qt::NoModifier);
  QApplication::sendEvent(&view, &home);
  CHECK(view.visibleBegin() == begin);
  CHECK(view.visibleEnd() == end);
}
