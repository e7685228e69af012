#include "app/hogwild_report.hpp"

#include <fmt/format.h>

namespace sgdsim {

const char* variant_name(HogwildVariant v) {
  static const char* const names[] = {"lock_free", "locked", "conflict_free"};
  return names[static_cast<int>(v)];
}

const char* writes_name(WriteSemantics w) {
  static const char* const names[] = {"atomic_add", "racy"};
  return names[static_cast<int>(w)];
}

nlohmann::ordered_json hogwild_json(const Scenario& s, const HogwildFacts& f) {
  const SparsityMeasures& m = f.sparsity;
  const CoordinateTotals& t = f.totals;
  nlohmann::ordered_json j;
  j["backend"] = s.hogwild.backend == HogwildSpec::Backend::kThreads ? "threads" : "simulated";
  j["variant"] = variant_name(s.hogwild.variant);
  j["writes"] = writes_name(s.hogwild.writes);
  j["cores"] = s.workers;
  j["coordinate_writes"] = t.writes;
  j["collisions"] = t.collisions;
  j["lost_writes"] = t.lost;
  j["collision_fraction"] = t.writes ? static_cast<double>(t.collisions) / t.writes : 0.0;
  j["lost_fraction"] = t.writes ? static_cast<double>(t.lost) / t.writes : 0.0;
  // Niu et al.'s measures; an edge counts as its own neighbour in rho.
  j["sparsity"] = {{"terms", m.edges},
                   {"omega", m.omega},
                   {"delta", m.delta},
                   {"rho", m.rho},
                   {"max_degree", m.max_degree},
                   {"max_edge_degree", m.max_edge_degree},
                   {"rho_terms_examined", m.rho_edges_examined}};
  return j;
}

std::string hogwild_line(const HogwildFacts& f) {
  const CoordinateTotals& t = f.totals;
  const SparsityMeasures& m = f.sparsity;
  return fmt::format(
      "  {} coordinate writes: {} collided ({:.3g}%), {} lost ({:.3g}%); Omega {}, Delta {:.3g}, "
      "rho {:.3g}\n",
      t.writes, t.collisions, t.writes ? 100.0 * t.collisions / t.writes : 0.0, t.lost,
      t.writes ? 100.0 * t.lost / t.writes : 0.0, m.omega, m.delta, m.rho);
}

void write_coordinates_csv(std::ostream& out, const CoordinateCounts& counts) {
  out << "coordinate,writes,collisions,lost\n";
  for (std::size_t v = 0; v < counts.writes.size(); ++v)
    if (counts.writes[v] > 0)
      out << v << ',' << counts.writes[v] << ',' << counts.collisions[v] << ',' << counts.lost[v]
          << '\n';
}

}  // namespace sgdsim
