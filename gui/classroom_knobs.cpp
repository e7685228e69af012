#include "gui/classroom_knobs.hpp"

#include <yaml-cpp/yaml.h>

#include <QString>
#include <algorithm>
#include <charconv>
#include <functional>

#include "app/strategies.hpp"

namespace sgdsim {
namespace {

const char* const kBuiltinScenario = R"(name: classroom
description: "Eight workers train logistic regression; turn the knobs."
cluster: {workers: 8}
compute: {time: {dist: exponential, mean: 1ms}}
network: {latency: 50us, bandwidth: 10Gbit/s}
algorithm: {type: sync, batch_size: 8, step_size: 0.5}
model: {type: logistic}
data: {source: classification, samples: 800, features: 10}
stop: {updates: 300}
output: {metrics_every: 10}
)";

/// `value` as the override text of a number: up to six significant digits.
std::string number(double value) {
  return QString::number(value, 'g', 6).toStdString();
}

/// `node` written on one line (flow YAML), as an override value takes it.
std::string flow_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << node;
  return out.c_str();
}

/// `text` as a number of type T in [low, high], or why not.
template <typename T>
std::string parse_in(const std::string& text, T low, T high, T& out) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return "'" + text + "' is not " + (std::is_integral_v<T> ? "a whole number" : "a number");
  if (!(value >= low && value <= high))  // Also refuses a NaN, which from_chars reads.
    return "'" + text + "' is outside [" + number(low) + ", " + number(high) + "]";
  out = value;
  return {};
}

/// A knob: its name and how a value's text sets it.
struct Knob {
  const char* name;
  std::function<std::string(ClassroomKnobs&, const std::string&)> set;
};

}  // namespace

const std::vector<ClassroomAlgorithm>& classroom_algorithms() {
  static const std::vector<ClassroomAlgorithm> all = [] {
    std::vector<ClassroomAlgorithm> list;
    for (const char* name : {"sync", "async", "backup", "ssp"})
      list.push_back({name, std::string(strategy_named(name).title)});
    list.push_back({"qsgd", std::string(strategy_named("sync").title) + ", QSGD-compressed"});
    return list;
  }();
  return all;
}

namespace {

/// Every knob, in the tab's order, with the ranges of its widgets.
const std::vector<Knob>& knobs() {
  static const std::vector<Knob> all = {
      {"algorithm",
       [](ClassroomKnobs& k, const std::string& v) -> std::string {
         std::string names;
         for (const ClassroomAlgorithm& a : classroom_algorithms()) {
           if (a.name == v) {
             k.algorithm = v;
             return {};
           }
           names += (names.empty() ? "" : ", ") + a.name;
         }
         return "'" + v + "' is not one of " + names;
       }},
      {"workers", [](auto& k, const auto& v) { return parse_in(v, 1, 64, k.workers); }},
      {"straggler_p", [](auto& k, const auto& v) { return parse_in(v, 0.0, 0.5, k.straggler_p); }},
      {"straggler_factor",
       [](auto& k, const auto& v) { return parse_in(v, 1.0, 20.0, k.straggler_factor); }},
      {"backup_workers",
       [](auto& k, const auto& v) { return parse_in(v, 0, 63, k.backup_workers); }},
      {"staleness_bound",
       [](auto& k, const auto& v) { return parse_in(v, 0, 20, k.staleness_bound); }},
      {"step_size", [](auto& k, const auto& v) { return parse_in(v, 0.001, 5.0, k.step_size); }},
      {"qsgd_levels", [](auto& k, const auto& v) { return parse_in(v, 1, 64, k.qsgd_levels); }},
  };
  return all;
}

}  // namespace

ClassroomBase builtin_classroom_base() {
  return {kBuiltinScenario, "classroom.yaml", "{dist: exponential, mean: 1ms}", false, true, false};
}

std::vector<Override> classroom_overrides(const ClassroomKnobs& knobs, const ClassroomBase& base) {
  std::vector<Override> result;
  const auto set = [&result](const std::string& key, const std::string& value) {
    result.push_back({key + "=" + value});
  };
  set("cluster.workers", std::to_string(knobs.workers));
  if (!base.compute_time_yaml.empty() && (knobs.straggler_p > 0 || base.straggler))
    set("compute.time", "{dist: straggler, base: " + base.compute_time_yaml +
                            ", p: " + number(knobs.straggler_p) +
                            ", factor: " + number(knobs.straggler_factor) + "}");
  const std::string& a = knobs.algorithm;
  if (!a.empty()) set("algorithm.type", a == "qsgd" ? "sync" : a);
  if (a == "backup") set("algorithm.backup_workers", std::to_string(knobs.backup_workers));
  if (a == "ssp") set("algorithm.staleness_bound", std::to_string(knobs.staleness_bound));
  if (base.learns) {
    set("algorithm.step_size", number(knobs.step_size));
    if (a == "qsgd") {
      set("algorithm.compression", "qsgd");
      set("algorithm.qsgd_levels", std::to_string(knobs.qsgd_levels));
    } else if (!a.empty() && base.qsgd) {
      set("algorithm.compression", "none");
    }
  }
  set("output.trace", "false");
  set("output.updates", "false");
  return result;
}

std::pair<ClassroomBase, ClassroomKnobs> classroom_of(const std::string& text,
                                                      const std::string& file,
                                                      const Scenario& scenario) {
  ClassroomBase base{text,
                     file,
                     "",
                     false,
                     scenario.learns(),
                     scenario.compression.kind == CompressionSettings::Kind::kQsgd};
  ClassroomKnobs k;
  try {
    const YAML::Node root = YAML::Load(base.text);
    const YAML::Node time = root["compute"]["time"];
    if (time.IsMap() && time["dist"] && time["dist"].as<std::string>() == "straggler") {
      base.straggler = true;
      base.compute_time_yaml = flow_yaml(time["base"]);
      if (time["p"]) k.straggler_p = time["p"].as<double>();
      if (time["factor"]) k.straggler_factor = time["factor"].as<double>();
    } else if (time) {
      base.compute_time_yaml = flow_yaml(time);
    }
  } catch (const YAML::Exception&) {
    base.compute_time_yaml.clear();  // compute.time is then left as the scenario has it.
  }
  k.algorithm = scenario.algorithm;
  if (base.qsgd && scenario.algorithm == "sync") k.algorithm = "qsgd";
  k.workers = static_cast<int>(std::min<std::uint32_t>(scenario.workers, 64));
  k.backup_workers = static_cast<int>(scenario.backup_workers);
  k.staleness_bound = static_cast<int>(scenario.staleness_bound.value_or(2));
  k.step_size = scenario.update.step.eta0;
  k.qsgd_levels = static_cast<int>(scenario.compression.levels);
  return {std::move(base), k};
}

std::string comma_separated(const std::vector<std::string>& names) {
  std::string all;
  for (const std::string& name : names) all += (all.empty() ? "" : ", ") + name;
  return all;
}

std::vector<std::string> knob_names() {
  std::vector<std::string> names;
  for (const Knob& knob : knobs()) names.push_back(knob.name);
  return names;
}

std::string set_knob(ClassroomKnobs& k, const std::string& name, const std::string& value) {
  for (const Knob& knob : knobs())
    if (name == knob.name) {
      const std::string error = knob.set(k, value);
      return error.empty() ? error : "knob " + name + ": " + error;
    }
  return "knob " + name + ": no such knob; the knobs are " + comma_separated(knob_names());
}

}  // namespace sgdsim
