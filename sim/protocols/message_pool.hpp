#pragma once
// Who owns what a message carries. A gradient is computed into a record of a pool, owned by the
// task that computes it; at the push the record passes to the messages that carry it (one per
// shard), and it returns to the pool when the last of them has been applied or dropped. A worker
// that computes again takes another record, so nothing a worker does can change what an earlier
// message carries, whatever the strategy. Records are reused with their buffers, so the steady
// state allocates nothing.

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/protocols/learner.hpp"

namespace sgdsim {

/// Records of messages in flight, reused. A record is taken with the number of its holders and
/// given back when the last of them releases it; its old contents are left in place, so buffers
/// keep their capacity from one message to the next.
template <typename Record>
class MessagePool {
 public:
  using Slot = std::uint32_t;

  /// A free record, held once.
  Slot acquire() {
    Slot slot;
    if (free_.empty()) {
      slot = static_cast<Slot>(entries_.size());
      entries_.emplace_back();
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    entries_[slot].holders = 1;
    return slot;
  }

  /// The record in `slot`.
  Record& operator[](Slot slot) { return entries_[slot].record; }
  const Record& operator[](Slot slot) const { return entries_[slot].record; }

  /// The one holder of `slot` hands it over to `holders` holders (the messages of a push).
  void share(Slot slot, std::uint32_t holders) { entries_[slot].holders = holders; }

  /// One holder of `slot` is done with it; the last one gives it back.
  void release(Slot slot) {
    if (--entries_[slot].holders == 0) free_.push_back(slot);
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

/// The slice for one shard of a pushed gradient: the message's ownership of it. Move-only; the
/// slice goes back to the pool when the handle is destroyed, so a protocol that drops a push
/// only has to let it go.
class PushedSlice {
 public:
  /// Takes one of the holds on `slot` (GradientPool::share gave one per shard), for the slice of
  /// shard `shard`, computed on version `v_read` of it.
  PushedSlice(GradientPool& pool, GradientPool::Slot slot, std::uint32_t shard,
              std::uint64_t v_read)
      : pool_(&pool), slot_(slot), shard_(shard), worker_(pool[slot].worker), v_read_(v_read) {}
  PushedSlice(PushedSlice&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)),
        slot_(other.slot_),
        shard_(other.shard_),
        worker_(other.worker_),
        v_read_(other.v_read_) {}
  /// Swaps with `other`, which releases this handle's old hold when it goes: sorting a round's
  /// pushes moves handles many times, and a swap is a few plain copies.
  PushedSlice& operator=(PushedSlice&& other) noexcept {
    swap(*this, other);
    return *this;
  }
  friend void swap(PushedSlice& a, PushedSlice& b) noexcept {
    std::swap(a.pool_, b.pool_);
    std::swap(a.slot_, b.slot_);
    std::swap(a.shard_, b.shard_);
    std::swap(a.worker_, b.worker_);
    std::swap(a.v_read_, b.v_read_);
  }
  PushedSlice(const PushedSlice&) = delete;
  PushedSlice& operator=(const PushedSlice&) = delete;
  ~PushedSlice() { drop(); }

  /// Who computed the gradient.
  std::uint32_t worker() const { return worker_; }
  /// The version of the shard it was computed on.
  std::uint64_t v_read() const { return v_read_; }
  /// The values for the shard, or null in a timing-only run.
  const std::vector<double>* values() const {
    const Gradient& g = gradient().values;
    return shard_ < g.size() ? &g[shard_] : nullptr;
  }
  /// Orders pushes by worker, then by the order each worker computed them: a full key, so a
  /// sort by it never depends on the order of arrival or on the sorting algorithm.
  friend bool operator<(const PushedSlice& a, const PushedSlice& b) {
    // The worker is kept in the handle: sorting a round's pushes reads the pool only on ties.
    return a.worker_ != b.worker_ ? a.worker_ < b.worker_ : a.gradient().task < b.gradient().task;
  }

 private:
  const ComputedGradient& gradient() const { return (*pool_)[slot_]; }
  void drop() {
    if (pool_) pool_->release(slot_);
    pool_ = nullptr;
  }
  GradientPool* pool_;
  GradientPool::Slot slot_;
  std::uint32_t shard_;
  std::uint32_t worker_;
  std::uint64_t v_read_;
};

}  // namespace sgdsim
