// Stale-synchronous parallel (Ho et al. 2013). Each worker's clock counts the gradients it has
// pushed; a worker at clock c may read the model only once every worker has reached clock
// c - s (s, the staleness bound), so the fastest worker is never more than s clocks ahead of the
// slowest, and blocks when its lead would exceed s.
//
// A parameter node commits clock c, applying the mean of its gradients in worker order, once
// every worker's clock-c gradient has arrived. A read at clock c thus sees exactly the clocks
// before c - s that the bound guarantees, plus any later ones already complete. Committing whole
// clocks keeps runs reproducible and makes s = 0 the bulk-synchronous protocol, bit for bit.

#include <fmt/format.h>

#include <algorithm>

#include "sim/protocols/protocol.hpp"

namespace sgdsim {
namespace {

class StaleSynchronous final : public ParameterNodeProtocol {
 public:
  StaleSynchronous(ProtocolContext ctx, std::uint32_t bound)
      : ParameterNodeProtocol(std::move(ctx)), bound_(bound), shard_(shards()) {
    for (ShardState& st : shard_) {
      st.clock.assign(workers(), 0);
      st.pending.resize(bound_ + 1);
    }
  }

  void start() override {
    for (std::uint32_t shard = 0; shard < shards(); ++shard)
      for (std::uint32_t w = 0; w < workers(); ++w) send_model(shard, w);
  }

 private:
  struct Blocked {
    std::uint32_t worker;
    SimTime since;
  };
  /// What one parameter node knows: every worker's clock, the gradients of the clocks not yet
  /// committed, and who waits to read. A push belongs to a clock at most s ahead of the last
  /// commit (its worker could read), so s + 1 buckets, clock c in bucket c mod (s + 1), hold them
  /// all and are reused without allocating.
  struct ShardState {
    std::vector<std::uint64_t> clock;
    std::vector<Pushes> pending;
    std::vector<Blocked> blocked;
  };
  Pushes& bucket(std::uint32_t shard, std::uint64_t clock) {
    return shard_[shard].pending[clock % (bound_ + 1)];
  }

  /// Worker `w` at `clock` may read once clocks before clock - bound are committed.
  bool may_read(std::uint64_t clock, std::uint32_t shard) const {
    return clock <= version(shard) + bound_;
  }

  void on_push_arrived(Push push, std::uint32_t shard) override {
    ShardState& st = shard_[shard];
    const std::uint32_t pusher = push.worker();
    const std::uint64_t c = st.clock[pusher]++;
    bucket(shard, c).add(std::move(push));
    const std::uint64_t before = version(shard);
    while (bucket(shard, version(shard)).size() == workers()) commit(shard);
    if (version(shard) == before) {
      // Nothing committed: no one else's wait is over, and the pusher reads or blocks.
      if (may_read(c + 1, shard))
        send_model(shard, pusher);
      else
        st.blocked.push_back({pusher, ctx_.sim.now()});
      return;
    }
    // The pusher waits with the blocked workers, so that everyone the new clock lets through
    // reads it in worker order, as after a synchronous round.
    st.blocked.push_back({pusher, ctx_.sim.now()});
    release(shard);
  }

  /// Sends the model to every blocked worker that may now read it, in worker order.
  void release(std::uint32_t shard) {
    ShardState& st = shard_[shard];
    std::sort(st.blocked.begin(), st.blocked.end(),
              [](const Blocked& a, const Blocked& b) { return a.worker < b.worker; });
    const SimTime now = ctx_.sim.now();
    std::erase_if(st.blocked, [&](const Blocked& b) {
      if (!may_read(st.clock[b.worker], shard)) return false;
      if (shard == 0 && now > b.since) {
        ctx_.recorder.worker_blocked(b.worker, now - b.since);
        if (ctx_.trace)
          ctx_.trace->span(ctx_.cluster.worker_node(b.worker), "blocked", b.since, now - b.since,
                           fmt::format("\"clock\":{}", st.clock[b.worker]));
      }
      send_model(shard, b.worker);
      return true;
    });
  }

  void commit(std::uint32_t shard) {
    const std::uint64_t clock = version(shard);
    Pushes& pushes = bucket(shard, clock);
    pushes.sort();
    apply(shard, pushes.refs(), static_cast<std::int64_t>(clock));
    pushes.clear();
    const SimTime now = ctx_.sim.now();
    // The model's clock is complete when the last shard commits it.
    for (std::uint32_t other = 0; other < shards(); ++other)
      if (version(other) <= clock) return;
    ctx_.recorder.model_updated(now);
    ctx_.recorder.round_closed({clock, clock_start_, now, workers(), 0});
    if (ctx_.trace) ctx_.trace->checkpoint("clock", now, fmt::format("\"clock\":{}", clock));
    clock_start_ = now;
  }

  std::uint32_t bound_;
  std::vector<ShardState> shard_;
  SimTime clock_start_ = 0;
};

}  // namespace

std::unique_ptr<Protocol> make_stale_synchronous(ProtocolContext ctx, std::uint32_t bound) {
  return std::make_unique<StaleSynchronous>(std::move(ctx), bound);
}

}  // namespace sgdsim
