// Simulated HOGWILD!, locked, and conflict-free (CYCLADES, Pan et al. 2016) shared-memory SGD.
//
// One event per update: when a core's write lands, it starts its next task at once, reading the
// next term's coordinates in the same instant. Writes that land at the same instant take the
// queue's order (first scheduled, first run), so every overwrite is reproducible.

#include "sim/protocols/hogwild.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/pending/disjoint_sets.hpp>
#include <deque>
#include <numeric>

namespace sgdsim {
namespace {

class Hogwild final : public Protocol {
 public:
  Hogwild(ProtocolContext ctx, SharedMemoryModel& model, HogwildSettings settings)
      : ctx_(std::move(ctx)),
        model_(model),
        settings_(settings),
        cores_(ctx_.cluster.worker_count()),
        batch_rng_(settings.seed, 0, "batches") {
    if (settings_.batch == 0) settings_.batch = 16 * cores();
    in_batch_.assign(cores(), false);
  }

  void start() override {
    if (settings_.variant == HogwildVariant::kConflictFree) return start_batch();
    for (std::uint32_t c = 0; c < cores(); ++c) begin(c);
  }

  void fail_worker(std::uint32_t c) override {
    Core& core = cores_[c];
    if (core.failed) return;
    core.failed = true;
    if (core.busy) ctx_.sim.cancel(core.write_event);
    core.busy = false;
    // A core that dies holding the lock never releases it: everybody waits, as on a machine.
    std::erase(lock_queue_, c);
    trace_failure(ctx_, c);
    // A conflict-free batch goes on without the dead core's terms.
    if (settings_.variant == HogwildVariant::kConflictFree && in_batch_[c]) {
      core.batch_terms.clear();
      core_done(c);
    }
  }

 private:
  struct Core {
    EventId write_event;
    SimTime waiting_since = 0;
    bool busy = false;
    bool failed = false;
    std::deque<std::size_t> batch_terms;  ///< Conflict-free: this core's terms of the batch.
  };

  std::uint32_t cores() const { return static_cast<std::uint32_t>(cores_.size()); }

  /// Core c wants to start an update: at once, or once it holds the lock.
  void begin(std::uint32_t c) {
    if (cores_[c].failed) return;
    if (settings_.variant == HogwildVariant::kLocked) {
      if (lock_held_) {
        cores_[c].waiting_since = ctx_.sim.now();
        lock_queue_.push_back(c);
        return;
      }
      lock_held_ = true;
    }
    update(c, model_.draw(c));
  }

  /// Core c reads term e now and schedules its write.
  void update(std::uint32_t c, std::size_t e) {
    model_.read(c, e);
    const SimTime now = ctx_.sim.now();
    const auto coordinates = static_cast<SimTime>(model_.support_size(c));
    const SimTime reading = settings_.read_cost * coordinates;
    const SimTime computing = ctx_.cluster.compute_time(c, ctx_.work);
    const SimTime writing = settings_.write_cost * coordinates;
    // A heavy-tailed compute time can be kTimeNever: the phases end where they add up, saturated.
    const SimTime computing_from = saturating_add(now, reading);
    const SimTime writing_from = saturating_add(computing_from, computing);
    if (ctx_.trace) {
      const NodeId track = ctx_.cluster.worker_node(c);
      ctx_.trace->span(track, "read", now, reading,
                       fmt::format("\"term\":{},\"v_read\":{}", e, model_.version()));
      ctx_.trace->span(track, "compute", computing_from, computing);
      ctx_.trace->span(track, "write", writing_from, writing);
    }
    cores_[c].busy = true;
    cores_[c].write_event =
        ctx_.sim.schedule_at(saturating_add(writing_from, writing), [this, c] { on_write(c); });
  }

  void on_write(std::uint32_t c) {
    cores_[c].busy = false;
    const WriteOutcome out = model_.write(c, settings_.writes);
    const SimTime now = ctx_.sim.now();
    ctx_.recorder.gradient_applied({now, c, 0, out.v_read, out.v_apply, round_});
    ctx_.recorder.model_updated(now);
    switch (settings_.variant) {
      case HogwildVariant::kLockFree:
        return begin(c);
      case HogwildVariant::kLocked:
        release_lock();
        return begin(c);
      case HogwildVariant::kConflictFree:
        ++applied_;
        return next_in_batch(c);
    }
  }

  /// Hands the lock to the core that has waited longest.
  void release_lock() {
    lock_held_ = false;
    if (lock_queue_.empty()) return;
    const std::uint32_t next = lock_queue_.front();
    lock_queue_.pop_front();
    const SimTime waited = ctx_.sim.now() - cores_[next].waiting_since;
    ctx_.recorder.worker_blocked(next, waited);
    if (ctx_.trace)
      ctx_.trace->span(ctx_.cluster.worker_node(next), "wait", cores_[next].waiting_since, waited);
    lock_held_ = true;
    update(next, model_.draw(next));
  }

  /// Conflict-free: draws a batch, groups its terms into connected components of the conflict
  /// graph (terms sharing a coordinate), and deals whole groups to the cores, largest first to
  /// the least loaded, so no two cores ever touch the same coordinate within a batch.
  void start_batch() {
    ++round_;
    round_start_ = ctx_.sim.now();
    const std::size_t n = model_.objective().terms();
    std::vector<std::size_t> terms(settings_.batch);
    for (std::size_t& e : terms) e = batch_rng_.uniform_below(n);
    std::vector<std::vector<std::size_t>> groups = conflict_groups(terms);
    // Largest first; among equals, the group whose first term came first (stable sort).
    std::stable_sort(groups.begin(), groups.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    std::vector<std::size_t> load(cores(), 0);
    for (const auto& group : groups) {
      std::uint32_t target = 0;
      for (std::uint32_t c = 1; c < cores(); ++c)
        if (cores_[c].failed < cores_[target].failed ||
            (cores_[c].failed == cores_[target].failed && load[c] < load[target]))
          target = c;
      load[target] += group.size();
      cores_[target].batch_terms.insert(cores_[target].batch_terms.end(), group.begin(),
                                        group.end());
    }
    working_ = 0;
    applied_ = 0;
    for (std::uint32_t c = 0; c < cores(); ++c) {
      in_batch_[c] = !cores_[c].batch_terms.empty();
      working_ += in_batch_[c] ? 1 : 0;
    }
    for (std::uint32_t c = 0; c < cores(); ++c)
      if (in_batch_[c]) next_in_batch(c);
  }

  /// The batch's terms grouped by shared coordinates, each group in batch order, groups ordered
  /// by their first term.
  std::vector<std::vector<std::size_t>> conflict_groups(const std::vector<std::size_t>& terms) {
    const std::size_t b = terms.size();
    std::vector<std::size_t> rank(b, 0), parent(b);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    boost::disjoint_sets<std::size_t*, std::size_t*> sets(rank.data(), parent.data());
    owner_.resize(model_.parameters().size());
    stamp_.resize(model_.parameters().size(), -1);
    for (std::size_t k = 0; k < b; ++k)
      for (const SparseObjective::Index v : model_.objective().support(terms[k])) {
        const auto u = static_cast<std::size_t>(v);
        if (stamp_[u] == round_) {
          sets.union_set(k, owner_[u]);
        } else {
          stamp_[u] = round_;
          owner_[u] = k;
        }
      }
    std::vector<std::vector<std::size_t>> groups;
    std::vector<std::size_t> group_of(b, b);
    for (std::size_t k = 0; k < b; ++k) {
      const std::size_t root = sets.find_set(k);
      if (group_of[root] == b) {
        group_of[root] = groups.size();
        groups.emplace_back();
      }
      groups[group_of[root]].push_back(terms[k]);
    }
    return groups;
  }

  /// Core c goes on with its next term of the batch, or is done with it.
  void next_in_batch(std::uint32_t c) {
    Core& core = cores_[c];
    if (core.failed) return;
    if (core.batch_terms.empty()) return core_done(c);
    const std::size_t e = core.batch_terms.front();
    core.batch_terms.pop_front();
    update(c, e);
  }

  /// Core c has no more terms in the batch; the last core done closes it (a checkpoint).
  void core_done(std::uint32_t c) {
    in_batch_[c] = false;
    if (--working_ > 0) return;
    const SimTime now = ctx_.sim.now();
    const auto applied = static_cast<std::uint32_t>(applied_);
    ctx_.recorder.round_closed({static_cast<std::uint64_t>(round_), round_start_, now, applied,
                                settings_.batch - applied});
    if (ctx_.trace) ctx_.trace->checkpoint("batch end", now, fmt::format("\"round\":{}", round_));
    start_batch();
  }

  ProtocolContext ctx_;
  SharedMemoryModel& model_;
  HogwildSettings settings_;
  std::vector<Core> cores_;
  bool lock_held_ = false;
  std::deque<std::uint32_t> lock_queue_;  ///< Cores waiting for the lock, first come first.
  RandomStream batch_rng_;
  std::int64_t round_ = -1;  ///< The conflict-free batch; -1 for the other variants.
  SimTime round_start_ = 0;
  std::uint32_t working_ = 0;   ///< Cores not yet done with the batch.
  std::uint64_t applied_ = 0;   ///< Updates of the batch written so far.
  std::vector<bool> in_batch_;  ///< Per core: not yet done with the batch.
  /// Scratch of conflict_groups: the batch position that first touched a coordinate, valid
  /// where stamp_ equals the round (so nothing is cleared between batches).
  std::vector<std::size_t> owner_;
  std::vector<std::int64_t> stamp_;
};

}  // namespace

std::unique_ptr<Protocol> make_hogwild(ProtocolContext ctx, SharedMemoryModel& model,
                                       HogwildSettings settings) {
  return std::make_unique<Hogwild>(std::move(ctx), model, settings);
}

}  // namespace sgdsim
