#pragma once
// The run loop of the discrete-event engine: a clock and an event queue, in the spirit of SimPy's
// tiny core. Everything that happens in a simulation is an action scheduled here.

#include <cstdint>
#include <functional>

#include "sim/engine/event_queue.hpp"
#include "sim/engine/time.hpp"

namespace sgdsim {

/// When a run ends. Any condition that holds ends it; an empty queue always does.
struct StopCondition {
  SimTime until = kTimeNever;             ///< No event later than this instant fires.
  std::uint64_t max_events = UINT64_MAX;  ///< Stop after this many events have fired.
  std::function<bool()> predicate = {};   ///< Checked after every event; true ends the run.
};

/// Why a run ended.
enum class StopReason { kQueueEmpty, kTimeReached, kEventLimit, kPredicate, kRequested };

/// Owns simulated time and the pending events, and runs them in order.
class Simulator {
 public:
  /// The current simulated time.
  SimTime now() const { return now_; }

  /// Schedules `action` at absolute time `at` (never earlier than now()).
  EventId schedule_at(SimTime at, EventAction&& action);

  /// Schedules `action` after `delay` (>= 0) from now. A delay past the end of time lands at
  /// kTimeNever, so the event never fires.
  EventId schedule_in(SimTime delay, EventAction&& action) {
    return schedule_at(saturating_add(now_, delay), std::move(action));
  }

  /// Cancels a pending event; false if it already fired or was cancelled.
  bool cancel(EventId id) { return queue_.cancel(id); }

  /// Asks the running loop to stop after the current event.
  void request_stop() { stop_requested_ = true; }

  /// Fires events in (time, sequence) order until `stop` holds or nothing is pending.
  /// When stopped by `until`, the clock is advanced to `until`. Events at kTimeNever never fire:
  /// they lie past any finite `until`, and with none the run ends as if the queue were empty.
  StopReason run(const StopCondition& stop);

  /// Number of events fired so far.
  std::uint64_t events_fired() const { return fired_; }

  /// Number of events pending now.
  std::size_t pending() const { return queue_.size(); }

 private:
  EventQueue queue_;
  SimTime now_ = 0;
  std::uint64_t fired_ = 0;
  bool stop_requested_ = false;
};

}  // namespace sgdsim
