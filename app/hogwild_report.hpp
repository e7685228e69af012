#pragma once
// What a HOGWILD! run reports beyond any other run, on either backend: overwrites and collisions
// per coordinate (coordinates.csv) and in total, and the sparsity of the problem (summary.json).

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "app/scenario.hpp"
#include "models/sparsity.hpp"
#include "sim/learning/shared_memory_model.hpp"

namespace sgdsim {

/// The facts of a HOGWILD! run that summary.json reports.
struct HogwildFacts {
  CoordinateTotals totals;
  SparsityMeasures sparsity;
};

/// The scenario's name of a variant: lock_free, locked or conflict_free.
const char* variant_name(HogwildVariant v);

/// The scenario's name of a write semantics: atomic_add or racy.
const char* writes_name(WriteSemantics w);

/// The `hogwild` object of summary.json.
nlohmann::ordered_json hogwild_json(const Scenario& s, const HogwildFacts& facts);

/// One line for the terminal summary.
std::string hogwild_line(const HogwildFacts& facts);

/// coordinates.csv: `coordinate, writes, collisions, lost`, one row per coordinate written.
void write_coordinates_csv(std::ostream& out, const CoordinateCounts& counts);

}  // namespace sgdsim
