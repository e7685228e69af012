#pragma once
// Simulated HOGWILD! (Niu, Recht, Re and Wright 2011): cores in place of workers, one shared
// model in place of parameter nodes, and a memory model (a cost per coordinate read and written)
// in place of the network.

#include <memory>

#include "sim/learning/shared_memory_model.hpp"
#include "sim/protocols/protocol.hpp"

namespace sgdsim {

/// How the cores share the model.
enum class HogwildVariant {
  kLockFree,      ///< HOGWILD!: no lock; a write lands on whatever the others left.
  kLocked,        ///< One lock around the model, held from a core's read to its write.
  kConflictFree,  ///< CYCLADES-style: batches split into groups that share no coordinate.
};

/// What simulated HOGWILD! does.
struct HogwildSettings {
  HogwildVariant variant = HogwildVariant::kLockFree;
  WriteSemantics writes = WriteSemantics::kAtomicAdd;
  SimTime read_cost = 0;    ///< Per coordinate read.
  SimTime write_cost = 0;   ///< Per coordinate written.
  std::uint32_t batch = 0;  ///< kConflictFree: terms per batch (0: 16 per core).
  std::uint64_t seed = 1;  ///< kConflictFree: batches are drawn by the stream (seed, 0, "batches").
};

/// HOGWILD! on `model` with the cluster's workers as cores. A core's update takes
/// read_cost x |e| + a compute time drawn from the core's distribution + write_cost x |e|: it
/// reads term e's coordinates (and computes their gradient) when it starts, and writes them when
/// it ends, so the updates other cores write in between are what it overwrites or adds to.
/// Every write is one model update (a gradient applied, staleness = writes by other cores since
/// the read); a conflict-free batch is also a round, ended by a checkpoint once every core is done.
std::unique_ptr<Protocol> make_hogwild(ProtocolContext ctx, SharedMemoryModel& model,
                                       HogwildSettings settings);

}  // namespace sgdsim
