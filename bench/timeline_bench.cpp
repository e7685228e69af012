// Timeline benchmarks: opening a run whose trace holds 1,000,000 events, and painting it.
// BENCHMARKS.md has the command and the figures.
//
//   BM_OpenRun       what a user waits for: load_trace, then the first paint of the whole run
//                    into a 1920x1080 image. `first_in_process_ms` is the first iteration, when
//                    all the memory the loader fills is new to the process (as in the GUI).
//   BM_LoadTrace     load_trace alone (SAX parse, sort, flatten, pyramids).
//   BM_PanFrame/F    one 1920x1080 frame while panning with 1/F of the run in view: each
//                    iteration moves the view by a twentieth of its width and paints.
//
// The trace is made once by the simulator (64 workers in rounds with 2 backup workers, capped at
// output.trace_max_events = 1,000,000) in $SGDSIM_TIMELINE_BENCH_DIR, by default
// /tmp/sgdsim-timeline-bench, and reused by later runs.

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "app/runner.hpp"
#include "app/scenario.hpp"
#include "gui/timeline/timeline_view.hpp"
#include "gui/timeline/trace_data.hpp"

using namespace sgdsim;

namespace {

const char* const kScenario = R"(name: timeline_bench
seed: 1
cluster: {workers: 64}
compute: {time: {dist: straggler, base: {dist: shifted_exponential, shift: 1ms, mean: 500us},
                 p: 0.1, factor: 5}}
network: {latency: 50us, bandwidth: 10Gbit/s}
algorithm: {type: backup, backup_workers: 2}
model: {dimension: 10000}
stop: {time: 24s}
output: {trace_max_events: 1000000, updates: false}
)";

/// The benchmark's trace.json, simulated on first use.
const std::filesystem::path& trace_file() {
  static const std::filesystem::path file = [] {
    const char* dir = std::getenv("SGDSIM_TIMELINE_BENCH_DIR");
    const std::filesystem::path run = dir != nullptr ? dir : "/tmp/sgdsim-timeline-bench";
    if (!std::filesystem::exists(run / "trace.json"))
      run_scenario(load_scenario_text(kScenario, "timeline_bench.yaml"), run);
    return run / "trace.json";
  }();
  return file;
}

/// The trace, loaded once for the painting benchmarks.
std::shared_ptr<const TraceData> shared_trace() {
  static const auto trace = load_trace(trace_file());
  return trace;
}

/// Paints `view` into a 1920x1080 image.
void paint_frame(const TimelineView& view, QImage& image) {
  QPainter painter(&image);
  view.paint(painter, image.rect());
}

void BM_LoadTrace(benchmark::State& state) {
  const auto& file = trace_file();
  std::size_t events = 0;
  for (auto _ : state) {
    const auto trace = load_trace(file);
    events = trace->span_count() + trace->checkpoints.size();
    benchmark::DoNotOptimize(trace.get());
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(file)) / 1e6;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
}

void BM_OpenRun(benchmark::State& state) {
  const auto& file = trace_file();
  QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);
  static double first_ms = 0.0;  // the process's first open
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    TimelineView view;
    view.resize(image.size());
    view.setTrace(load_trace(file));
    paint_frame(view, image);
    if (first_ms == 0.0)
      first_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count();
  }
  state.counters["first_in_process_ms"] = first_ms;
}

void BM_PanFrame(benchmark::State& state) {
  const auto trace = shared_trace();
  TimelineView view;
  QImage image(1920, 1080, QImage::Format_ARGB32_Premultiplied);
  view.resize(image.size());
  view.setTrace(trace);
  const double length = static_cast<double>(trace->end - trace->begin);
  const double width = length / static_cast<double>(state.range(0));
  double begin = static_cast<double>(trace->begin);
  for (auto _ : state) {
    begin += width / 20.0;
    if (begin + width > static_cast<double>(trace->end)) begin = static_cast<double>(trace->begin);
    view.setVisibleRange(begin, begin + width);
    paint_frame(view, image);
  }
  state.counters["fps"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["window_ms"] = width / 1e6;
}

// Seconds per iteration: real time, since what matters is how long the user waits.
BENCHMARK(BM_OpenRun)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_LoadTrace)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_PanFrame)
    ->RangeMultiplier(10)
    ->Range(1, 100000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);  // the widget needs one, on screen or not
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
