#pragma once
// The sparsity of a HOGWILD! problem, as Niu, Recht, Re and Wright (2011) measure it on the
// hypergraph whose vertices are the model's coordinates and whose edges are the terms' supports.

#include <cstddef>
#include <cstdint>

#include "models/sparse_objective.hpp"

namespace sgdsim {

/// Omega, Delta and rho of a hypergraph with edges E over vertices (coordinates) V:
///   Omega = max_e |e|                              (the largest edge);
///   Delta = max_v |{e in E : v in e}| / |E|        (the largest vertex degree, as a fraction);
///   rho   = max_e |{e' in E : e' meets e}| / |E|   (the largest edge degree, as a fraction).
/// An edge counts as its own neighbour in rho, as the definition reads (e meets e), so rho >=
/// 1 / |E| whenever some edge is non-empty, and rho = 1 / |E| exactly when no two edges meet.
struct SparsityMeasures {
  std::size_t edges = 0;
  std::size_t omega = 0;
  std::size_t max_degree = 0;       ///< Delta x |E|.
  std::size_t max_edge_degree = 0;  ///< rho x |E| (over the edges examined).
  double delta = 0.0;
  double rho = 0.0;
  /// Edges whose neighbourhood was counted: all of them, unless that would take longer than the
  /// budget, when rho is the maximum over an evenly spread subset (a lower bound).
  std::size_t rho_edges_examined = 0;
};

/// Computes the measures of f's supports. Counting every edge's neighbours costs about
/// (non-zeros) x |E| / 64 word operations (bitsets for the common vertices); past `budget` such
/// operations, rho is taken over an evenly spaced subset of the edges.
SparsityMeasures sparsity_measures(const SparseObjective& f, std::uint64_t budget = 4'000'000'000);

}  // namespace sgdsim
