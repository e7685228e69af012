#pragma once
// Counts heap allocations made through `new`, so a benchmark can report allocations per event.

#include <cstdint>

namespace sgdsim::bench {

/// Number of calls to the global operator new (and new[]) so far on this thread.
std::uint64_t allocation_count();

}  // namespace sgdsim::bench
