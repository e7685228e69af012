#include "app/summary.hpp"

#include <fmt/format.h>

#include "app/strategies.hpp"

namespace sgdsim {
namespace {

const char* reason_name(StopReason r, bool target_reached) {
  if (r == StopReason::kPredicate && target_reached) return "stop.target_loss reached";
  switch (r) {
    case StopReason::kQueueEmpty:
      return "nothing left to do";
    case StopReason::kTimeReached:
      return "stop.time reached";
    case StopReason::kEventLimit:
      return "stop.max_events reached";
    case StopReason::kPredicate:
      return "stop.updates reached";
    case StopReason::kRequested:  // RunOptions::interrupted: Ctrl-C or SIGTERM.
      return "interrupted";
  }
  return "?";
}

/// Seconds as a string with nanosecond precision, exact from the integer.
std::string seconds_text(SimTime t) {
  return fmt::format("{}.{:09}", t / kNanosPerSecond, t % kNanosPerSecond);
}

}  // namespace

nlohmann::ordered_json learning_json(const Scenario& s, const EvaluationLog& evals) {
  const Evaluation& last = *evals.last();
  nlohmann::ordered_json learning;
  learning["model"] = s.model_type;
  learning["step_size"] = s.update.step.eta0;  // After the linear scaling rule, if any.
  learning["epochs"] = last.epoch;
  learning["final"] = {{"train_loss", last.train_loss}, {"test_loss", last.test_loss}};
  learning["best"] = {{"train_loss", evals.best_train_loss()},
                      {"test_loss", evals.best_test_loss()}};
  if (last.test_accuracy) {
    learning["final"]["test_accuracy"] = *last.test_accuracy;
    learning["best"]["test_accuracy"] = *evals.best_test_accuracy();
  }
  if (evals.target()) {
    learning["target_loss"] = *evals.target();
    learning["time_to_target_s"] = evals.target_reached()
                                       ? nlohmann::ordered_json(to_seconds(*evals.target_reached()))
                                       : nlohmann::ordered_json(nullptr);
  }
  return learning;
}

nlohmann::ordered_json make_summary(const RunFacts& f) {
  const Scenario& s = f.scenario;
  const Recorder& r = f.recorder;
  nlohmann::ordered_json j;
  j["scenario"] = s.name;
  j["seed"] = s.seed;
  j["algorithm"] = s.algorithm;
  if (s.protocol == ProtocolType::kSync) j["round_waits_for"] = s.wait_for;
  j["workers"] = s.workers;
  j["parameter_nodes"] = s.parameter_nodes;
  j["stop_reason"] = reason_name(f.reason, f.recorder.evaluations().target_reached().has_value());
  j["updates"] = r.updates();
  j["gradients"] = r.gradients();
  j["gradients_dropped"] = r.gradients_dropped();
  j["sim_time_s"] = to_seconds(f.sim.now());
  j["sim_time"] = seconds_text(f.sim.now());
  j["events"] = f.sim.events_fired();
  j["updates_per_s"] =
      f.sim.now() > 0 ? static_cast<double>(r.updates()) / to_seconds(f.sim.now()) : 0.0;
  if (s.has_rounds()) {
    j["rounds"] = r.round_time().count();
    j["iteration_time_s"] = {{"mean", r.round_time().mean()},
                             {"standard_error", r.round_time().standard_error()},
                             {"stddev", std::sqrt(r.round_time().variance())}};
  }
  if (!r.blocked_time().empty()) {
    // Stale-synchronous parallel: how long each worker waited for the slowest to catch up.
    nlohmann::ordered_json per_worker = nlohmann::ordered_json::array();
    SimTime total = 0;
    for (std::uint32_t w = 0; w < s.workers; ++w) {
      const SimTime t = w < r.blocked_time().size() ? r.blocked_time()[w] : 0;
      per_worker.push_back(to_seconds(t));
      total += t;
    }
    j["blocked_s"] = {{"total", to_seconds(total)}, {"per_worker", per_worker}};
  }
  j["staleness"] = {{"mean", r.mean_staleness()},
                    {"max", r.max_staleness()},
                    {"histogram", r.staleness_histogram()}};
  if (!r.evaluations().empty()) {
    nlohmann::ordered_json learning = learning_json(s, r.evaluations());
    if (f.model) {
      // Memory of the model: current versions plus those still held by readers (copy on write).
      learning["shard_copies_alive_peak"] = f.model->copies_peak();
    }
    j["learning"] = learning;
  }
  if (f.hogwild) j["hogwild"] = hogwild_json(s, *f.hogwild);
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  for (LinkId l = 0; l < f.topology.link_count(); ++l) {
    const auto [a, b] = f.topology.endpoints(l);
    links.push_back({{"between", {f.topology.node(a).name, f.topology.node(b).name}},
                     {"bytes", f.network.link_bytes(l)}});
  }
  j["network"] = {{"messages", f.network.messages_sent()},
                  {"bytes_sent", f.network.bytes_sent()},
                  {"links", links}};
  // Only when the cap cut updates.csv short, so that summaries of other runs stay as they were.
  if (r.update_rows_left_out() > 0)
    j["updates_csv"] = {{"max_rows", s.updates_max_rows},
                        {"rows_written", s.updates_max_rows},
                        {"rows_left_out", r.update_rows_left_out()}};
  if (f.trace)
    j["trace"] = {{"events_written", f.trace->written()}, {"events_dropped", f.trace->dropped()}};
  // Wall-clock figures differ from run to run; they live here and nowhere else.
  j["wall"] = {
      {"seconds", f.wall_seconds},
      {"events_per_second",
       f.wall_seconds > 0 ? static_cast<double>(f.sim.events_fired()) / f.wall_seconds : 0.0}};
  return j;
}

std::string human_summary(const RunFacts& f) {
  const Scenario& s = f.scenario;
  const Recorder& r = f.recorder;
  const double t = to_seconds(f.sim.now());
  const std::string& a = s.algorithm;
  const std::string kind = strategy_named(a).display(s);
  std::string out =
      fmt::format("{}: {} with {} worker{}", s.name, kind, s.workers, s.workers == 1 ? "" : "s");
  if (s.parameter_nodes > 0 && a != "hogwild")
    out += fmt::format(" and {} parameter node{}", s.parameter_nodes,
                       s.parameter_nodes == 1 ? "" : "s");
  out += "\n";
  out += fmt::format("  {} updates in {:.6g} simulated s ({:.6g} updates/s); {}\n", r.updates(), t,
                     t > 0 ? static_cast<double>(r.updates()) / t : 0.0,
                     reason_name(f.reason, f.recorder.evaluations().target_reached().has_value()));
  if (s.has_rounds() && r.round_time().count() > 0)
    out += fmt::format("  round time {:.6g} ms ± {:.2g} ms (mean ± standard error)\n",
                       r.round_time().mean() * 1e3, r.round_time().standard_error() * 1e3);
  out += fmt::format("  staleness mean {:.3f}, max {}\n", r.mean_staleness(), r.max_staleness());
  if (f.hogwild) out += hogwild_line(*f.hogwild);
  if (const auto& last = r.evaluations().last()) {
    out += fmt::format("  {}: training loss {:.6g}, test loss {:.6g}", s.model_type,
                       last->train_loss, last->test_loss);
    if (last->test_accuracy) out += fmt::format(", test accuracy {:.4f}", *last->test_accuracy);
    out += fmt::format(" after {:.3g} epochs\n", last->epoch);
  }
  out += fmt::format("  {} events, {} messages, {} bytes sent; {:.3g} s of wall time\n",
                     f.sim.events_fired(), f.network.messages_sent(), f.network.bytes_sent(),
                     f.wall_seconds);
  if (r.update_rows_left_out() > 0)
    out += fmt::format(
        "  updates.csv holds the first {} rows; {} more were left out (output.updates_max_rows; "
        "--set output.updates_max_rows=0 lifts the cap)\n",
        s.updates_max_rows, r.update_rows_left_out());
  if (f.reason == StopReason::kRequested)
    out += fmt::format(
        "  interrupted at {:.6g} simulated s: the run directory holds the run so far\n", t);
  return out;
}

}  // namespace sgdsim
