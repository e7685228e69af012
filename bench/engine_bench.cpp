// Engine benchmarks: how many events per second the discrete-event core fires, alone and driving
// the asynchronous protocol, and how many bytes one pending event costs. BENCHMARKS.md has the
// commands and the figures.
//
//   BM_PendingEventMemory/N/C  resident and peak bytes per pending event; C = 0: a 16-byte
//                              capture, held inside the EventAction; C = 1: a 40-byte capture
//                              (with a shared_ptr), which EventAction puts on the heap.
//   BM_AsyncTimingOnly/N       the asynchronous protocol, timing only, on a star of N workers.
//   BM_SyncTimingOnly/N        the same with synchronous rounds, and BM_KSyncTimingOnly/N with
//                              rounds that wait for N / 2 gradients and preempt the rest.
//   BM_SimulatorHold/P         Simulator::run with P self-rescheduling events.
//   BM_EventQueueHold/P        the classic hold model on EventQueue alone, P events pending.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "bench/alloc_counter.hpp"
#include "bench/process_memory.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/cluster/network.hpp"
#include "sim/engine/event_queue.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/simulator.hpp"
#include "sim/observe/recorder.hpp"
#include "sim/protocols/learner.hpp"
#include "sim/protocols/protocol.hpp"

namespace {

using namespace sgdsim;
using sgdsim::bench::allocation_count;
using sgdsim::bench::proc_status_bytes;
using sgdsim::bench::reset_peak_rss;

// ---------------------------------------------------------------------------------------------
// Shared helpers.

/// A table of exponential delays (mean 1 ms) drawn before timing starts, so the hold benchmarks
/// time the queue and not the random-number generator. 2^16 entries, read cyclically.
class DelayTable {
 public:
  DelayTable() : delays_(kSize) {
    RandomStream rng(42, 0, "hold");
    for (SimTime& d : delays_) d = from_seconds(rng.exponential(1e-3));
  }
  SimTime next() { return delays_[next_++ & (kSize - 1)]; }

 private:
  static constexpr std::size_t kSize = 1 << 16;
  std::vector<SimTime> delays_;
  std::size_t next_ = 0;
};

// ---------------------------------------------------------------------------------------------
// BM_AsyncTimingOnly: what `sgdsim run` does for `protocol: async`, `model: none`, no trace, no
// CSV output: a star of N workers and one parameter node, exponential compute times of mean 1 ms,
// links of zero latency and infinite bandwidth. Each worker cycles through three events: the model
// arrives (and compute starts), compute ends (and the push is sent), the push arrives (and is
// applied, and the model is sent back). So N events are pending at any time.

constexpr std::uint64_t kEventsPerIteration = 2'000'000;

/// The protocol families the timing-only benchmarks compare.
enum class Family { kAsync, kSync, kKSync, kSsp, kAllReduce };

/// Everything a run needs, built in place (Network and the protocol hold references into it).
struct TimingWorld {
  explicit TimingWorld(std::uint32_t workers, Family family = Family::kAsync,
                       std::uint64_t seed = 1)
      : cluster(family == Family::kAllReduce ? Cluster::ring(workers, kFreeLink)
                                             : Cluster::star(workers, 1, kFreeLink),
                worker_nodes(workers, family), parameter_nodes(family),
                LatencyDistribution::make(LatencyKind::kExponential, {{"mean", 1e-3}}), {}, seed),
        network(sim, cluster.topology(), seed, nullptr),
        recorder(RecorderSinks{}) {
    const bool ring = family == Family::kAllReduce;
    ProtocolContext ctx{sim,
                        cluster,
                        network,
                        recorder,
                        nullptr,
                        learner,
                        ring ? std::vector<std::uint64_t>{} : std::vector<std::uint64_t>{4'000'000},
                        1.0};
    switch (family) {
      case Family::kAsync:
        protocol = make_asynchronous(std::move(ctx));
        break;
      case Family::kSync:
        protocol = make_synchronous(std::move(ctx));
        break;
      case Family::kKSync:  // Waits for half the workers and preempts the rest.
        protocol = make_synchronous(std::move(ctx), {workers / 2});
        break;
      case Family::kSsp:
        protocol = make_stale_synchronous(std::move(ctx), 3);
        break;
      case Family::kAllReduce:
        protocol = make_ring_all_reduce(std::move(ctx), 1'000'000);
        break;
    }
    protocol->start();
  }
  TimingWorld(const TimingWorld&) = delete;
  TimingWorld& operator=(const TimingWorld&) = delete;

  /// Links of zero latency and infinite bandwidth.
  static inline const LinkInfo kFreeLink{LatencyDistribution(),
                                         std::numeric_limits<double>::infinity(), 0};

  /// Cluster::star numbers the parameter node 0 and the workers 1..N; Cluster::ring the workers
  /// 0..N-1.
  static std::vector<NodeId> worker_nodes(std::uint32_t workers, Family family) {
    const NodeId first = family == Family::kAllReduce ? 0 : 1;
    std::vector<NodeId> nodes(workers);
    for (std::uint32_t w = 0; w < workers; ++w) nodes[w] = first + w;
    return nodes;
  }
  static std::vector<NodeId> parameter_nodes(Family family) {
    return family == Family::kAllReduce ? std::vector<NodeId>{} : std::vector<NodeId>{0};
  }

  Simulator sim;
  Cluster cluster;
  Network network;
  Recorder recorder;
  TimingOnlyLearner learner;
  std::unique_ptr<Protocol> protocol;
};

void timing_only(benchmark::State& state, Family family) {
  const auto workers = static_cast<std::uint32_t>(state.range(0));
  // Not timed: building the cluster and the routes, and one full cycle per worker (3 N events)
  // so that every route is cached and every vector has reached its working size.
  const auto setup_start = std::chrono::steady_clock::now();
  TimingWorld world(workers, family);
  StopCondition warm;
  warm.max_events = 3ULL * workers;
  world.sim.run(warm);
  const double setup_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();
  const double setup_rss = proc_status_bytes("VmRSS");

  const std::uint64_t fired_before = world.sim.events_fired();
  const std::uint64_t updates_before = world.recorder.updates();
  const SimTime sim_before = world.sim.now();
  const std::uint64_t allocations_before = allocation_count();
  for (auto _ : state) {
    StopCondition stop;
    stop.max_events = kEventsPerIteration;
    if (world.sim.run(stop) != StopReason::kEventLimit) {
      state.SkipWithError("the simulation ended before the event limit");
      break;
    }
  }
  const auto events = static_cast<double>(world.sim.events_fired() - fired_before);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events_per_s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["allocs_per_event"] =
      static_cast<double>(allocation_count() - allocations_before) / events;
  state.counters["events_per_update"] =
      events / static_cast<double>(world.recorder.updates() - updates_before);
  state.counters["pending"] = static_cast<double>(world.sim.pending());
  state.counters["sim_s_per_iter"] =
      to_seconds(world.sim.now() - sim_before) / static_cast<double>(state.iterations());
  state.counters["setup_s"] = setup_s;
  state.counters["rss_MB"] = setup_rss / 1e6;
}

void BM_AsyncTimingOnly(benchmark::State& state) {
  timing_only(state, Family::kAsync);
}
void BM_SyncTimingOnly(benchmark::State& state) {
  timing_only(state, Family::kSync);
}
void BM_KSyncTimingOnly(benchmark::State& state) {
  timing_only(state, Family::kKSync);
}
void BM_SspTimingOnly(benchmark::State& state) {
  timing_only(state, Family::kSsp);
}
void BM_AllReduceTimingOnly(benchmark::State& state) {
  timing_only(state, Family::kAllReduce);
}

// ---------------------------------------------------------------------------------------------
// BM_SimulatorHold: the hold model through Simulator::run. Each event's action schedules its
// successor with schedule_in, capturing one pointer (stored inside the EventAction), so this is
// the engine's own cost per event, what the protocol pays on top of it being the rest.

struct SimulatorHold {
  Simulator sim;
  DelayTable delays;
  void fire() {
    sim.schedule_in(delays.next(), [this] { fire(); });
  }
};

void BM_SimulatorHold(benchmark::State& state) {
  const auto pending = static_cast<std::uint64_t>(state.range(0));
  auto hold = std::make_unique<SimulatorHold>();
  for (std::uint64_t i = 0; i < pending; ++i) hold->fire();
  StopCondition warm;  // Not timed: lets the event times reach their steady-state spread.
  warm.max_events = 2 * pending;
  hold->sim.run(warm);

  const std::uint64_t fired_before = hold->sim.events_fired();
  for (auto _ : state) {
    StopCondition stop;
    stop.max_events = kEventsPerIteration;
    hold->sim.run(stop);
  }
  const auto events = static_cast<double>(hold->sim.events_fired() - fired_before);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events_per_s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["pending"] = static_cast<double>(hold->sim.pending());
}

// ---------------------------------------------------------------------------------------------
// BM_EventQueueHold: the classic hold model on EventQueue alone. P events pending; each operation
// pops the earliest, runs it (it increments a counter) and schedules one at its time plus an
// exponential delay, so the queue size stays P.

constexpr std::uint64_t kHoldOpsPerIteration = 1'000'000;

void BM_EventQueueHold(benchmark::State& state) {
  const auto pending = static_cast<std::uint64_t>(state.range(0));
  auto queue = std::make_unique<EventQueue>();
  DelayTable delays;
  std::uint64_t ran = 0;
  const auto action = [&ran] { ++ran; };
  for (std::uint64_t i = 0; i < pending; ++i) queue->schedule(delays.next(), action);
  const auto hold = [&](std::uint64_t ops) {
    for (std::uint64_t k = 0; k < ops; ++k) {
      auto [at, act] = queue->pop();
      act();
      queue->schedule(at + delays.next(), action);
    }
  };
  hold(2 * pending);  // Not timed: lets the event times reach their steady-state spread.

  const std::uint64_t ran_before = ran;
  for (auto _ : state) hold(kHoldOpsPerIteration);
  const auto events = static_cast<double>(ran - ran_before);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events_per_s"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
  state.counters["pending"] = static_cast<double>(queue->size());
}

// ---------------------------------------------------------------------------------------------
// BM_PendingEventMemory: schedules N events into a fresh EventQueue and reads the process's
// resident set (VmRSS) and its peak (VmHWM, reset just before) from /proc/self/status.
//   rss_B_per_event   resident growth with N events pending, divided by N.
//   peak_B_per_event  peak resident growth while scheduling them (vectors double their capacity
//                     by allocating the new buffer and copying, so old and new coexist briefly).
// The time reported is the time to schedule the N events (times in random order); it includes the
// vectors' reallocations and page faults, so it is not the steady-state cost of schedule().
//
// What one pending event holds, from sizeof() (the queue's own structs are private; these mirror
// them): a heap entry {SimTime time; uint64 seq; uint32 slot} and a slot {EventAction; uint64 seq}.
// A capture larger than 24 bytes, or not trivially copyable, is kept by EventAction in a heap
// block of its own, plus malloc's 8-byte header, rounded up to 16.

struct MirrorEntry {
  SimTime time;
  std::uint64_t seq;
  std::uint32_t slot;
};
struct MirrorSlot {
  EventAction action;
  std::uint64_t seq;
};

/// A capture like the protocol's push and compute events: [this, w, shard], 16 bytes.
struct SmallCapture {
  void* self;
  std::uint32_t w, shard;
  void operator()() const { benchmark::DoNotOptimize(self); }
};
/// A capture like [this, w, shard, v, snapshot], 40 bytes with a shared_ptr (what send_model
/// captured before the model began to wait in the worker's state).
struct LargeCapture {
  void* self;
  std::uint32_t w, shard;
  std::uint64_t v;
  std::shared_ptr<const std::vector<double>> snapshot;
  void operator()() const { benchmark::DoNotOptimize(self); }
};

void BM_PendingEventMemory(benchmark::State& state) {
  const auto n = static_cast<std::uint64_t>(state.range(0));
  const bool large = state.range(1) != 0;
  double rss_before = 0, rss_after = 0, peak_after = 0;
  bool peak_reset = false;
  std::uint64_t allocations = 0;
  double schedule_s = 0, arena_free = 0;
  // glibc raises its mmap threshold (up to 32 MiB) each time a large mmapped block is freed; after
  // that, vector buffers come from the brk heap and the buffers a growing vector outgrows stay
  // resident, so the figure would depend on what ran before. Pinning the threshold at glibc's
  // initial 128 KiB makes large buffers mmapped, as in a fresh process. (Free chunks already in the
  // heap still serve large requests first: arena_free_MB shows how much there was; see the note at
  // the registrations below.)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  for (auto _ : state) {
    state.PauseTiming();
    malloc_trim(0);  // Give back what earlier benchmarks freed, so the baseline is honest.
    auto queue = std::make_unique<EventQueue>();
    arena_free = static_cast<double>(mallinfo2().fordblks);
    peak_reset = reset_peak_rss();
    rss_before = proc_status_bytes("VmRSS");
    const std::uint64_t allocations_before = allocation_count();
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      const SimTime at = static_cast<SimTime>(mix64(i) % kNanosPerSecond);
      if (large)
        queue->schedule(at, LargeCapture{queue.get(), static_cast<std::uint32_t>(i), 0, i, {}});
      else
        queue->schedule(at, SmallCapture{queue.get(), static_cast<std::uint32_t>(i), 0});
    }
    schedule_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.PauseTiming();
    allocations = allocation_count() - allocations_before;
    rss_after = proc_status_bytes("VmRSS");
    peak_after = proc_status_bytes("VmHWM");
    queue.reset();
    malloc_trim(0);
    state.ResumeTiming();
  }
  const auto count = static_cast<double>(n);
  state.counters["pending"] = count;
  state.counters["rss_B_per_event"] = (rss_after - rss_before) / count;
  // Without the reset, VmHWM is the whole process's peak and the figure would be meaningless.
  state.counters["peak_B_per_event"] = peak_reset ? (peak_after - rss_before) / count : -1.0;
  state.counters["allocs_per_event"] = static_cast<double>(allocations) / count;
  state.counters["arena_free_MB"] = arena_free / 1e6;
  state.counters["sizeof_entry"] = sizeof(MirrorEntry);
  state.counters["sizeof_slot"] = sizeof(MirrorSlot);
  state.counters["sizeof_action"] = sizeof(EventAction);
  state.counters["capture_B"] = large ? sizeof(LargeCapture) : sizeof(SmallCapture);
  state.counters["sched_ns_per_event"] = schedule_s * 1e9 / count;
}

// ---------------------------------------------------------------------------------------------
// Registration, in running order. The memory benchmark runs first, while the process's heap is
// still clean: a fragmented heap (free chunks left by the earlier benchmarks) serves the vectors'
// buffers from recycled chunks and keeps the buffers they outgrow resident, which added up to
// 30 B per event when it ran last.

BENCHMARK(BM_PendingEventMemory)
    ->Args({1'000'000, 0})
    ->Args({10'000'000, 0})
    ->Args({1'000'000, 1})
    ->Args({10'000'000, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AsyncTimingOnly)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SyncTimingOnly)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_KSyncTimingOnly)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SspTimingOnly)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllReduceTimingOnly)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulatorHold)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EventQueueHold)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
