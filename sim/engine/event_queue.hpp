#pragma once
// The pending-event set of the discrete-event engine: a binary heap ordered by (time, sequence).

#include <cstdint>
#include <vector>

#include "sim/engine/event_action.hpp"
#include "sim/engine/time.hpp"

namespace sgdsim {

/// Names a scheduled event so that it can be cancelled. Default-constructed ids name nothing.
struct EventId {
  std::uint32_t slot = 0;
  std::uint64_t seq = 0;  ///< 0 never names a real event: sequence numbers start at 1.
};

/// A priority queue of timed actions with O(log n) schedule and pop and O(1) cancellation.
///
/// The same-instant rule lives in `fires_before` and nowhere else: events at the same time fire in
/// the order they were scheduled (first scheduled, first run), by a 64-bit sequence number that
/// never wraps in practice. Nothing is ever ordered by pointer or hash.
///
/// Two stores hold the entries: a 4-ary heap, and a first-in-first-out lane for events scheduled
/// at the instant of the last pop (a message over a free link, a reply sent at once). Lane entries
/// share one time and have increasing sequence numbers, so the lane is sorted by construction and
/// `pop` takes whichever front fires first; the order is exactly that of a single heap.
class EventQueue {
 public:
  /// Schedules `action` at absolute time `at`; returns its id for cancellation.
  EventId schedule(SimTime at, EventAction&& action);

  /// Cancels a pending event. Returns false if it already fired or was cancelled.
  bool cancel(EventId id);

  /// True when no live event is pending.
  bool empty() const { return live_ == 0; }

  /// Number of live (scheduled, not fired, not cancelled) events.
  std::size_t size() const { return live_; }

  /// Time of the next live event, or kTimeNever when empty.
  SimTime next_time();

  /// Removes the next live event and returns its time and action. Requires !empty().
  std::pair<SimTime, EventAction> pop() {
    next_time();
    return pop_next();
  }

  /// Removes the event the last call of next_time() found, which must be live, with nothing
  /// scheduled, cancelled or popped since: the engine's loop looks at the next time and then
  /// fires that event, and this way finds it once.
  std::pair<SimTime, EventAction> pop_next();

  /// Entries held, live or cancelled; stays within twice the live count (plus a constant).
  std::size_t stored() const { return heap_.size() + lane_.size() - lane_head_; }

 private:
  struct Entry {
    SimTime time;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct Slot {
    EventAction action;
    std::uint64_t seq = 0;  ///< seq of the event occupying the slot, 0 when free.
  };

  /// The same-instant rule: earlier time first, then earlier scheduling.
  static bool fires_before(const Entry& a, const Entry& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  }
  bool stale(const Entry& e) const { return slots_[e.slot].seq != e.seq; }
  void drop_stale_fronts();
  void advance_lane();
  /// True when the next entry is the lane's front rather than the heap's top.
  bool lane_first() const;
  void compact();
  void push_heap(Entry e);
  void pop_heap();

  std::vector<Entry> heap_;
  std::vector<Entry> lane_;  ///< Same-instant entries; lane_[lane_head_] is the front.
  std::size_t lane_head_ = 0;
  std::size_t stale_ = 0;      ///< Cancelled entries still in the heap or the lane.
  SimTime last_popped_ = 0;    ///< Time of the last pop: the instant the lane takes.
  bool next_in_lane_ = false;  ///< Where next_time() found the next event.
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
};

}  // namespace sgdsim
