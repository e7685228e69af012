#pragma once
// Who owns what a message carries. A gradient is computed into a record of a pool, owned by the
// task that computes it; at the push the record passes to the messages that carry it (one per
// shard), and it returns to the pool when the last of them has been applied or dropped. A worker
// that computes again takes another record, so nothing a worker does can change what an earlier
// message carries, whatever the strategy. A node that keeps slices for a later update holds them
// in a PushedSlices until it has applied them. Records are reused with their buffers, so the steady
// state allocates nothing.

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "sim/protocols/learner.hpp"

namespace sgdsim {

/// Records of messages in flight, reused. A record is taken with the number of its holders and
/// given back when the last of them releases it; its old contents are left in place, so buffers
/// keep their capacity from one message to the next.
///
/// A gradient is taken with one hold per message its push will send: the task holds them all
/// while it computes, and the push hands one to each message without touching the record again
/// (at 10,000 workers the record is out of cache by then).
template <typename Record>
class MessagePool {
 public:
  using Slot = std::uint32_t;

  /// A free record, held `holders` times.
  Slot acquire(std::uint32_t holders = 1) {
    Slot slot;
    if (free_.empty()) {
      slot = static_cast<Slot>(entries_.size());
      entries_.emplace_back();
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    entries_[slot].holders = holders;
    return slot;
  }

  /// The record in `slot`.
  Record& operator[](Slot slot) { return entries_[slot].record; }
  const Record& operator[](Slot slot) const { return entries_[slot].record; }

  /// `holds` of the holds on `slot` are given up; the last one gives the record back.
  void release(Slot slot, std::uint32_t holds = 1) {
    if ((entries_[slot].holders -= holds) == 0) free_.push_back(slot);
  }

 private:
  struct Entry {
    Record record;
    std::uint32_t holders = 0;
  };
  std::vector<Entry> entries_;
  std::vector<Slot> free_;
};

/// One worker's gradient, from the start of the task that computes it until every shard has
/// applied or dropped its slice. The version each slice was computed on travels in its message
/// (PushedSlice), which keeps the record to one cache line.
struct ComputedGradient {
  std::uint32_t worker = 0;
  std::uint64_t task = 0;  ///< The worker's count of tasks before this one: a key with worker.
  Gradient values;         ///< One slice per shard; empty in a timing-only run.
};

/// The pool of a protocol's gradients.
using GradientPool = MessagePool<ComputedGradient>;

/// One pushed slice as a parameter node sorts and applies it: who computed it, in which of its
/// tasks, on which version of the shard, and where its values lie. Plain values, so that sorting
/// a round's pushes copies a few words per step and reads nothing else.
struct SliceRef {
  std::uint32_t worker = 0;
  GradientPool::Slot slot = 0;  ///< The gradient's record.
  std::uint64_t task = 0;       ///< The worker's count of tasks before this one.
  std::uint64_t v_read = 0;     ///< The version of the shard it was computed on.

  /// Orders pushes by worker, then by the order each worker computed them: a full key, so a
  /// sort by it never depends on the order of arrival or on the sorting algorithm.
  friend bool operator<(const SliceRef& a, const SliceRef& b) {
    return a.worker != b.worker ? a.worker < b.worker : a.task < b.task;
  }
};

/// The values of shard `shard`'s slice of `ref`, or null in a timing-only run.
inline const std::vector<double>* slice_values(const GradientPool& pool, const SliceRef& ref,
                                               std::uint32_t shard) {
  const Gradient& g = pool[ref.slot].values;
  return shard < g.size() ? &g[shard] : nullptr;
}

/// The slice for one shard of a pushed gradient: the message's ownership of it. Move-only; the
/// slice goes back to the pool when the handle is destroyed, so a protocol that drops a push
/// only has to let it go, and one that keeps it moves it into a PushedSlices.
class PushedSlice {
 public:
  /// Takes one of the holds on `slot` (the task took one per shard), for the slice of
  /// shard `shard`, computed on version `v_read` of it.
  PushedSlice(GradientPool& pool, GradientPool::Slot slot, std::uint32_t shard,
              std::uint64_t v_read)
      : pool_(&pool), shard_(shard), ref_{pool[slot].worker, slot, pool[slot].task, v_read} {}
  PushedSlice(PushedSlice&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)), shard_(other.shard_), ref_(other.ref_) {}
  PushedSlice& operator=(PushedSlice&&) = delete;
  PushedSlice(const PushedSlice&) = delete;
  PushedSlice& operator=(const PushedSlice&) = delete;
  ~PushedSlice() {
    if (pool_) pool_->release(ref_.slot);
  }

  /// Who computed the gradient, when, and on which version.
  const SliceRef& ref() const { return ref_; }
  std::uint32_t worker() const { return ref_.worker; }
  std::uint64_t v_read() const { return ref_.v_read; }
  /// The values for the shard, or null in a timing-only run.
  const std::vector<double>* values() const { return slice_values(*pool_, ref_, shard_); }

 private:
  friend class PushedSlices;
  GradientPool* pool_;
  std::uint32_t shard_;
  SliceRef ref_;
};

/// The slices a parameter node keeps for a later update (a round, a clock, K arrivals): it owns
/// their holds from `add` until `clear` or its destruction.
class PushedSlices {
 public:
  PushedSlices() = default;
  PushedSlices(PushedSlices&& other) noexcept
      : pool_(other.pool_), refs_(std::exchange(other.refs_, {})) {}
  PushedSlices& operator=(PushedSlices&&) = delete;
  PushedSlices(const PushedSlices&) = delete;
  PushedSlices& operator=(const PushedSlices&) = delete;
  ~PushedSlices() { clear(); }

  /// Keeps `push`, taking over its hold.
  void add(PushedSlice&& push) {
    pool_ = std::exchange(push.pool_, nullptr);
    refs_.push_back(push.ref_);
  }
  /// Puts the slices in worker order, a worker's several in the order it computed them.
  void sort() { std::sort(refs_.begin(), refs_.end()); }
  /// Gives every hold back.
  void clear() {
    for (const SliceRef& ref : refs_) pool_->release(ref.slot);
    refs_.clear();
  }

  std::size_t size() const { return refs_.size(); }
  bool empty() const { return refs_.empty(); }
  const SliceRef& operator[](std::size_t i) const { return refs_[i]; }
  std::span<const SliceRef> refs() const { return refs_; }

 private:
  GradientPool* pool_ = nullptr;  ///< The pool every slice kept here comes from.
  std::vector<SliceRef> refs_;
};

}  // namespace sgdsim
