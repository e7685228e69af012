#pragma once
// One HOGWILD! update on the shared model: read x_e, compute the gradient of f_e, write back.
// Shared by the threaded backend and the single-thread timing of updates; not a public header.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "hogwild/threaded_hogwild.hpp"
#include "models/sparse_objective.hpp"

namespace sgdsim::hogwild_detail {

// Every access to the shared model goes through std::atomic_ref, so concurrent reads and writes
// of a coordinate are defined behaviour; on x86-64 a relaxed load or store of an aligned double
// is the same mov a plain access would be.
static_assert(std::atomic_ref<double>::required_alignment == alignof(double));
static_assert(std::atomic_ref<double>::is_always_lock_free);

/// The model every thread updates, and the instruments beside it (instrumented runs only).
struct SharedModel {
  std::span<double> x;
  std::span<std::uint64_t> writes;              ///< Per coordinate: the writes made to it so far.
  std::atomic<std::uint64_t>* clock = nullptr;  ///< Updates applied so far, by all threads.
};

/// One thread's buffers, reused from update to update.
struct Scratch {
  std::vector<double> x_e, g_e;
  std::vector<std::uint64_t> seen;  ///< writes[v] of each coordinate as read.
};

/// What an instrumented update saw happen between its read and its write.
struct Interference {
  std::uint64_t conflicts = 0;  ///< Coordinates of its support that others wrote meanwhile.
  std::uint64_t lost = 0;       ///< Racy writes: the writes of others this update overwrote.
  std::uint64_t staleness = 0;  ///< Updates applied by any thread meanwhile.
};

/// Applies the update of term e with step `step` to `m`; instrumented (kInstrument), also counts
/// what happened between its read and its write and adds its deltas to `applied`.
///
/// Every atomic is relaxed: each coordinate is its own atomic object and HOGWILD! asks for no
/// order between them (a thread may see some coordinates of another's update and not others;
/// that is the algorithm). What must be complete when read, the model at an evaluation and at the
/// end, is made so by the barrier or the join that precedes the read.
///
/// The counts are estimates. A coordinate's write counter is read just before its value and
/// incremented just after its write, so writes[v] - seen counts the other threads' writes between
/// this update's read and write; but the counter and the value are two atomics, not one (and
/// relaxed order lets the compiler or processor swap the two accesses), so a write landing in the
/// gap between them can be counted on the wrong side (a write this update read counted as
/// overwritten, or the converse). With racy writes every intervening
/// write is overwritten by this one's store, so the count of intervening writes is the count of
/// lost ones, up to those gaps; with atomic adds nothing is lost and `lost` stays 0.
template <WriteSemantics kWrites, bool kInstrument>
Interference apply_update(const SparseObjective& f, std::size_t e, double step,
                          const SharedModel& m, Scratch& s, std::span<double> applied) {
  constexpr auto relaxed = std::memory_order_relaxed;
  const std::span<const SparseObjective::Index> support = f.support(e);
  const std::size_t size = support.size();
  s.x_e.resize(size);
  s.g_e.resize(size);
  std::uint64_t clock_read = 0;
  if constexpr (kInstrument) {
    s.seen.resize(size);
    clock_read = m.clock->load(relaxed);
  }
  for (std::size_t k = 0; k < size; ++k) {
    const auto v = static_cast<std::size_t>(support[k]);
    if constexpr (kInstrument) s.seen[k] = std::atomic_ref(m.writes[v]).load(relaxed);
    s.x_e[k] = std::atomic_ref(m.x[v]).load(relaxed);
  }
  f.gradient(e, s.x_e, s.g_e);
  Interference seen;
  for (std::size_t k = 0; k < size; ++k) {
    const auto v = static_cast<std::size_t>(support[k]);
    const double delta = -step * s.g_e[k];
    if constexpr (kWrites == WriteSemantics::kAtomicAdd) {
      std::atomic_ref(m.x[v]).fetch_add(delta, relaxed);
    } else {
      std::atomic_ref(m.x[v]).store(s.x_e[k] + delta, relaxed);
    }
    if constexpr (kInstrument) {
      const std::uint64_t others = std::atomic_ref(m.writes[v]).fetch_add(1, relaxed) - s.seen[k];
      seen.conflicts += others > 0 ? 1 : 0;
      if constexpr (kWrites == WriteSemantics::kRacy) seen.lost += others;
      applied[v] += delta;
    }
  }
  if constexpr (kInstrument) seen.staleness = m.clock->fetch_add(1, relaxed) - clock_read;
  return seen;
}

/// apply_update of an uninstrumented run on a linear model, fused: x_e and its margin in one
/// pass, the writes in a second. The same arithmetic in the same order as
/// SparseLinearObjective::gradient, so the model it makes is bit for bit apply_update's; but it
/// reads the row's 32-bit columns directly, through no virtual call, keeps no gradient, and when
/// the loss's derivative is 0 (a hinge-loss sample classified with margin) writes the regulariser's
/// share alone.
template <WriteSemantics kWrites>
void apply_linear_update(const SparseLinearObjective& f, std::size_t e, double step,
                         const SharedModel& m, Scratch& s) {
  constexpr auto relaxed = std::memory_order_relaxed;
  const SparseLinearObjective::Row row = f.row(e);
  const std::size_t size = row.columns.size();
  const std::uint32_t* const columns = row.columns.data();
  // Local copies of the pointers: the compiler would otherwise reload them after every atomic.
  double* const x = m.x.data();
  s.x_e.resize(size);
  double* const x_e = s.x_e.data();
  const double margin = sparse_dot(row.values, size, [x, x_e, columns](std::size_t k) {
    return x_e[k] = std::atomic_ref(x[columns[k]]).load(relaxed);
  });
  const double d = f.derivative(margin, row.label);
  const auto write = [&](auto gradient) {
    for (std::size_t k = 0; k < size; ++k) {
      const double delta = -step * gradient(k);
      if constexpr (kWrites == WriteSemantics::kAtomicAdd) {
        std::atomic_ref(x[columns[k]]).fetch_add(delta, relaxed);
      } else {
        std::atomic_ref(x[columns[k]]).store(x_e[k] + delta, relaxed);
      }
    }
  };
  const double* const regulariser = row.regulariser;
  if (d == 0.0)
    write([&](std::size_t k) { return 2.0 * regulariser[columns[k]] * x_e[k]; });
  else
    write(
        [&](std::size_t k) { return d * row.values[k] + 2.0 * regulariser[columns[k]] * x_e[k]; });
}

/// Asks the processor to start fetching the first cache lines of term e's row, so that they
/// arrive while the update before it runs.
inline void prefetch_row(const SparseLinearObjective& f, std::size_t e) {
  // Four 64-byte lines of each: the first 64 columns and 32 values, or fewer in a short row (a
  // pointer past the row's end could be past the storage's). The hardware prefetcher takes over
  // from there; fetching whole rows gained nothing more.
  const SparseLinearObjective::Row row = f.row(e);
  const std::size_t size = row.columns.size();
  for (std::size_t k = 0; k < std::min<std::size_t>(size, 64); k += 16)
    __builtin_prefetch(row.columns.data() + k);
  for (std::size_t k = 0; k < std::min<std::size_t>(size, 32); k += 8)
    __builtin_prefetch(row.values + k);
}

/// One update of term e: the fused linear path when `linear` (f as a SparseLinearObjective, or
/// null) is set and nothing is counted, else apply_update.
template <WriteSemantics kWrites, bool kInstrument>
Interference update_term(const SparseObjective& f, const SparseLinearObjective* linear,
                         std::size_t e, double step, const SharedModel& m, Scratch& s,
                         std::span<double> applied) {
  if constexpr (!kInstrument) {
    if (linear) {
      apply_linear_update<kWrites>(*linear, e, step, m, s);
      return {};
    }
  }
  return apply_update<kWrites, kInstrument>(f, e, step, m, s, applied);
}

}  // namespace sgdsim::hogwild_detail
