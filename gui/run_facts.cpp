#include "gui/run_facts.hpp"

#include <fmt/format.h>

namespace sgdsim {
namespace {

/// Appends `label` with the number at `pointer` of `j` times `scale`, when it is there.
void add_number(std::vector<RunFact>& facts, const nlohmann::json& j, const char* pointer,
                const std::string& label, const char* format = "{:.6g}", double scale = 1.0) {
  const nlohmann::json::json_pointer path(pointer);
  if (!j.contains(path) || !j[path].is_number()) return;
  facts.push_back({label, fmt::format(fmt::runtime(format), j[path].get<double>() * scale)});
}

}  // namespace

std::vector<RunFact> summary_facts(const nlohmann::json& j) {
  std::vector<RunFact> facts;
  const bool wall = j.value("time_base", "") == "wall";
  if (j.contains("algorithm"))
    facts.push_back({"algorithm", j.value("algorithm", "") +
                                      (j.contains("backend") ? " (" + j.value("backend", "") + ")"
                                                             : std::string())});
  add_number(facts, j, "/workers", "workers", "{}");
  add_number(facts, j, "/updates", "updates", "{}");
  add_number(facts, j, "/sim_time_s", wall ? "wall time (s)" : "simulated time (s)");
  add_number(facts, j, "/updates_per_s", "updates per second");
  add_number(facts, j, "/iteration_time_s/mean", "round time (s)");
  add_number(facts, j, "/staleness/mean", "staleness, mean", "{:.3f}");
  add_number(facts, j, "/staleness/max", "staleness, max", "{}");
  add_number(facts, j, "/blocked_s/total", "blocked, all workers (s)");
  add_number(facts, j, "/learning/final/train_loss", "final training loss");
  add_number(facts, j, "/learning/final/test_loss", "final test loss");
  add_number(facts, j, "/learning/final/test_accuracy", "final test accuracy", "{:.4f}");
  add_number(facts, j, "/learning/time_to_target_s", "time to target loss (s)");
  add_number(facts, j, "/hogwild/collision_fraction", "collided writes", "{:.3g} %", 100.0);
  add_number(facts, j, "/hogwild/lost_fraction", "lost writes", "{:.3g} %", 100.0);
  add_number(facts, j, "/network/bytes_sent", "bytes sent", "{}");
  if (j.contains("stop_reason")) facts.push_back({"stopped by", j.value("stop_reason", "")});
  return facts;
}

}  // namespace sgdsim
