#include "sim/engine/event_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace sgdsim {

EventId EventQueue::schedule(SimTime at, EventAction&& action) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  const std::uint64_t seq = next_seq_++;
  slots_[slot].action = std::move(action);
  slots_[slot].seq = seq;
  const SimTime lane_time = lane_head_ < lane_.size() ? lane_.back().time : last_popped_;
  if (at == lane_time)
    lane_.push_back({at, seq, slot});
  else
    push_heap({at, seq, slot});
  ++live_;
  return {slot, seq};
}

bool EventQueue::cancel(EventId id) {
  if (id.seq == 0 || id.slot >= slots_.size() || slots_[id.slot].seq != id.seq) return false;
  // The entry stays behind; its seq no longer matches the slot, so it is skipped when it reaches
  // the front. Freeing the slot now keeps memory bounded by the live events.
  Slot& s = slots_[id.slot];
  s.action.reset();
  s.seq = 0;
  free_slots_.push_back(id.slot);
  --live_;
  ++stale_;
  if (heap_.size() > 2 * live_ + 64) compact();
  return true;
}

void EventQueue::compact() {
  // Many cancelled far-future events would otherwise pile up in the heap. Rebuilding it changes
  // its layout but not the order of firing, which (time, seq) fixes completely.
  stale_ -= std::erase_if(heap_, [this](const Entry& e) { return stale(e); });
  const std::vector<Entry> live = std::move(heap_);
  heap_.clear();
  for (const Entry& e : live) push_heap(e);
}

void EventQueue::drop_stale_fronts() {
  // Without cancellations there is nothing to drop, and the slot lookups would only cost misses.
  if (stale_ == 0) return;
  for (; stale_ > 0 && !heap_.empty() && stale(heap_.front()); --stale_) pop_heap();
  for (; stale_ > 0 && lane_head_ < lane_.size() && stale(lane_[lane_head_]); --stale_)
    advance_lane();
}

void EventQueue::advance_lane() {
  // An emptied lane starts again at the beginning of its buffer, so it never grows past the
  // largest burst of same-instant events.
  if (++lane_head_ == lane_.size()) {
    lane_.clear();
    lane_head_ = 0;
  }
}

bool EventQueue::lane_first() const {
  if (lane_head_ == lane_.size()) return false;
  return heap_.empty() || fires_before(lane_[lane_head_], heap_.front());
}

SimTime EventQueue::next_time() {
  drop_stale_fronts();
  next_in_lane_ = lane_first();
  if (next_in_lane_) return lane_[lane_head_].time;
  return heap_.empty() ? kTimeNever : heap_.front().time;
}

std::pair<SimTime, EventAction> EventQueue::pop_next() {
  Entry top;
  if (next_in_lane_) {
    top = lane_[lane_head_];
    advance_lane();
  } else {
    if (heap_.empty()) throw std::logic_error("EventQueue::pop on an empty queue");
    top = heap_.front();
    pop_heap();
    // The next heap event's closure was stored long ago and is likely out of cache; start fetching
    // it now, while the events due before it run.
    if (!heap_.empty()) __builtin_prefetch(&slots_[heap_.front().slot]);
  }
  last_popped_ = top.time;
  Slot& s = slots_[top.slot];
  std::pair<SimTime, EventAction> fired{top.time, std::move(s.action)};  // Leaves the slot empty.
  s.seq = 0;
  free_slots_.push_back(top.slot);
  --live_;
  return fired;
}

// A 4-ary heap: half the depth of a binary one, and a node's children share a cache line.
// Sifts move a hole instead of swapping, which halves the writes.
void EventQueue::push_heap(Entry e) {
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!fires_before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::pop_heap() {
  const Entry last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  // Floyd's bottom-up pop: the hole goes down to a leaf along the earliest children, then `last`
  // climbs back from there. `last` came from the bottom and rarely climbs far, so this saves one
  // comparison per level.
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best;
    if (first + 4 <= n) {
      // A tournament of four: the two first comparisons are independent.
      const std::size_t a = fires_before(heap_[first + 1], heap_[first]) ? first + 1 : first;
      const std::size_t b =
          fires_before(heap_[first + 3], heap_[first + 2]) ? first + 3 : first + 2;
      best = fires_before(heap_[b], heap_[a]) ? b : a;
    } else {
      best = first;
      for (std::size_t c = first + 1; c < n; ++c)
        if (fires_before(heap_[c], heap_[best])) best = c;
    }
    heap_[i] = heap_[best];
    i = best;
  }
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!fires_before(last, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = last;
}

}  // namespace sgdsim
