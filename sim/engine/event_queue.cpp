#include "sim/engine/event_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace sgdsim {

EventId EventQueue::schedule(SimTime at, EventAction action) {
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
  push_heap({at, seq, slot});
  ++live_;
  return {slot, seq};
}

bool EventQueue::cancel(EventId id) {
  if (id.seq == 0 || id.slot >= slots_.size() || slots_[id.slot].seq != id.seq) return false;
  // The heap entry stays behind; its seq no longer matches the slot, so it is skipped when it
  // reaches the top. Freeing the slot now keeps memory bounded by the live events.
  Slot& s = slots_[id.slot];
  s.action = nullptr;
  s.seq = 0;
  free_slots_.push_back(id.slot);
  --live_;
  if (heap_.size() > 2 * live_ + 64) compact();
  return true;
}

void EventQueue::compact() {
  // Many cancelled far-future events would otherwise pile up in the heap. Rebuilding it changes
  // its layout but not the order of firing, which (time, seq) fixes completely.
  std::erase_if(heap_, [this](const Entry& e) { return slots_[e.slot].seq != e.seq; });
  std::make_heap(heap_.begin(), heap_.end(),
                 [](const Entry& a, const Entry& b) { return fires_before(b, a); });
}

SimTime EventQueue::next_time() {
  drop_stale_top();
  return heap_.empty() ? kTimeNever : heap_.front().time;
}

std::pair<SimTime, EventAction> EventQueue::pop() {
  drop_stale_top();
  if (heap_.empty()) throw std::logic_error("EventQueue::pop on an empty queue");
  const Entry top = heap_.front();
  pop_heap();
  Slot& s = slots_[top.slot];
  EventAction action = std::move(s.action);
  s.action = nullptr;
  s.seq = 0;
  free_slots_.push_back(top.slot);
  --live_;
  return {top.time, std::move(action)};
}

void EventQueue::drop_stale_top() {
  while (!heap_.empty() && slots_[heap_.front().slot].seq != heap_.front().seq) pop_heap();
}

void EventQueue::push_heap(Entry e) {
  // Hand-written sift-up: a hole moves up instead of swapping, which halves the writes.
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
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
  std::size_t i = 0;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && fires_before(heap_[child + 1], heap_[child])) ++child;
    if (!fires_before(heap_[child], last)) break;
    heap_[i] = heap_[child];
    i = child;
  }
  heap_[i] = last;
}

}  // namespace sgdsim
