#include "models/sparsity.hpp"

#include <algorithm>
#include <bit>
#include <vector>

namespace sgdsim {

SparsityMeasures sparsity_measures(const SparseObjective& f, std::uint64_t budget) {
  SparsityMeasures m;
  const std::size_t n = f.terms(), d = f.dimension();
  m.edges = n;
  if (n == 0) return m;

  // The incidence lists, vertex by vertex (a transposed CSR).
  std::vector<std::size_t> start(d + 1, 0);
  for (std::size_t e = 0; e < n; ++e) {
    const auto support = f.support(e);
    m.omega = std::max(m.omega, support.size());
    for (const auto v : support) ++start[static_cast<std::size_t>(v) + 1];
  }
  for (std::size_t v = 0; v < d; ++v) {
    m.max_degree = std::max(m.max_degree, start[v + 1]);
    start[v + 1] += start[v];
  }
  std::vector<std::size_t> incident(start[d]), fill(start.begin(), start.end() - 1);
  for (std::size_t e = 0; e < n; ++e)
    for (const auto v : f.support(e)) incident[fill[static_cast<std::size_t>(v)]++] = e;
  m.delta = static_cast<double>(m.max_degree) / static_cast<double>(n);

  // An edge's neighbours are the union of its vertices' incidence lists, gathered in a bitset
  // over the edges. A vertex in more edges than the bitset has words ORs a bitset of its own
  // instead of setting its bits one by one, which bounds the work per vertex by the word count.
  const std::size_t words = (n + 63) / 64;
  std::vector<std::size_t> heavy_row(d, SIZE_MAX);
  std::vector<std::uint64_t> heavy;
  std::uint64_t cost = 0;
  for (std::size_t v = 0; v < d; ++v) {
    const std::size_t degree = start[v + 1] - start[v];
    if (degree > words) {
      heavy_row[v] = heavy.size() / words;
      heavy.resize(heavy.size() + words, 0);
      std::uint64_t* row = heavy.data() + heavy_row[v] * words;
      for (std::size_t k = start[v]; k < start[v + 1]; ++k)
        row[incident[k] / 64] |= std::uint64_t{1} << (incident[k] % 64);
    }
    cost += degree * std::min(degree, words);
  }
  cost += 2 * n * words;
  const std::uint64_t stride = std::max<std::uint64_t>(1, (cost + budget - 1) / budget);

  std::vector<std::uint64_t> neighbours(words);
  for (std::size_t e = 0; e < n; e += stride) {
    std::fill(neighbours.begin(), neighbours.end(), 0);
    for (const auto vertex : f.support(e)) {
      const auto v = static_cast<std::size_t>(vertex);
      if (heavy_row[v] != SIZE_MAX) {
        const std::uint64_t* row = heavy.data() + heavy_row[v] * words;
        for (std::size_t w = 0; w < words; ++w) neighbours[w] |= row[w];
      } else {
        for (std::size_t k = start[v]; k < start[v + 1]; ++k)
          neighbours[incident[k] / 64] |= std::uint64_t{1} << (incident[k] % 64);
      }
    }
    std::size_t count = 0;
    for (const std::uint64_t w : neighbours) count += static_cast<std::size_t>(std::popcount(w));
    m.max_edge_degree = std::max(m.max_edge_degree, count);
    ++m.rho_edges_examined;
  }
  m.rho = static_cast<double>(m.max_edge_degree) / static_cast<double>(n);
  return m;
}

}  // namespace sgdsim
