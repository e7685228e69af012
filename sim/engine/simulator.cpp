#include "sim/engine/simulator.hpp"

#include <algorithm>
#include <stdexcept>

namespace sgdsim {

EventId Simulator::schedule_at(SimTime at, EventAction&& action) {
  if (at < now_) throw std::logic_error("Simulator: an event was scheduled in the past");
  return queue_.schedule(at, std::move(action));
}

StopReason Simulator::run(const StopCondition& stop) {
  stop_requested_ = false;
  std::uint64_t fired_here = 0;
  for (;;) {
    const SimTime next = queue_.next_time();
    // An event at kTimeNever (a saturated delay) waits forever: past a finite limit, which the
    // clock then reaches, and without one nothing left can fire.
    if (next == kTimeNever && (queue_.empty() || stop.until == kTimeNever))
      return StopReason::kQueueEmpty;
    if (next > stop.until) {
      now_ = std::max(now_, stop.until);  // A limit already passed never moves the clock back.
      return StopReason::kTimeReached;
    }
    if (fired_here >= stop.max_events) return StopReason::kEventLimit;
    auto [at, action] = queue_.pop_next();
    now_ = at;
    ++fired_;
    ++fired_here;
    action();
    if (stop_requested_) return StopReason::kRequested;
    if (stop.predicate && stop.predicate()) return StopReason::kPredicate;
  }
}

}  // namespace sgdsim
