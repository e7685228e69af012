// Replaces the global operator new and delete of the benchmark executable with malloc and free
// plus one thread-local increment per allocation. They live in their own translation unit so that
// GCC cannot inline them into callers (which would raise false -Wmismatched-new-delete warnings).
// Benchmarks run on the main thread (Google Benchmark runs thread 0 there), so one thread-local
// counter sees every allocation a benchmark makes.

#include "bench/alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local std::uint64_t g_allocations = 0;
}  // namespace

namespace sgdsim::bench {
std::uint64_t allocation_count() {
  return g_allocations;
}
}  // namespace sgdsim::bench

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
