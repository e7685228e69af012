#include "app/key_builders.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/yaml_values.hpp"

namespace sgdsim {
namespace {

using Bind = std::function<void(const YamlNode&, Scenario&, const LoadContext&)>;

/// The fields every builder fills the same way.
KeyDecl declare(std::string path, std::string type, std::string def, std::string range,
                std::string help, std::string example, Bind bind, bool required = false) {
  return {std::move(path),  std::move(type), std::move(def),     required,
          std::move(range), std::move(help), std::move(example), std::move(bind)};
}

}  // namespace

KeyDecl integer_key(std::string path, std::string help, std::string def, std::int64_t min,
                    std::int64_t max, std::string example,
                    std::function<void(Scenario&, std::int64_t)> set) {
  std::string range = std::to_string(min) + " to " + (max == kMaxInt ? "any" : std::to_string(max));
  return declare(std::move(path), "integer", std::move(def), std::move(range), std::move(help),
                 std::move(example), [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
                   set(s, read_integer(n, c, min, max));
                 });
}

KeyDecl real_key(std::string path, std::string help, std::string def, double min, double max,
                 std::string example, std::function<void(Scenario&, double)> set) {
  std::string range = max == std::numeric_limits<double>::max() ? fmt::format("{} or more", min)
                                                                : fmt::format("{} to {}", min, max);
  return declare(std::move(path), "number", std::move(def), std::move(range), std::move(help),
                 std::move(example), [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
                   set(s, read_real(n, c, min, max));
                 });
}

KeyDecl boolean_key(std::string path, std::string help, std::string def,
                    std::function<void(Scenario&, bool)> set) {
  return declare(
      std::move(path), "boolean", std::move(def), "true or false", std::move(help), "true",
      [=](const YamlNode& n, Scenario& s, const LoadContext& c) { set(s, read_bool(n, c)); });
}

KeyDecl choice_key(std::string path, std::string help, std::vector<std::string> choices,
                   std::string def, std::function<void(Scenario&, std::size_t)> set) {
  std::string range;
  for (const std::string& c : choices) range += (range.empty() ? "" : ", ") + c;
  std::string example = choices.back();
  return declare(std::move(path), "choice", std::move(def), std::move(range), std::move(help),
                 std::move(example), [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
                   const std::string v = read_choice(n, c, choices);
                   set(s, static_cast<std::size_t>(std::find(choices.begin(), choices.end(), v) -
                                                   choices.begin()));
                 });
}

KeyDecl distribution_key(std::string path, std::string help, std::string def, bool required,
                         std::string example, LatencyDistribution Scenario::*field) {
  return declare(
      std::move(path), "distribution", std::move(def),
      "a duration, or {dist: FAMILY, ...} (see Distributions)", std::move(help), std::move(example),
      [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
        s.*field = read_distribution(n, c, s.workers);
      },
      required);
}

KeyDecl remembering_mark(KeyDecl key, Mark& (*where)(Scenario&)) {
  key.bind = [bind = std::move(key.bind), where](const YamlNode& n, Scenario& s,
                                                 const LoadContext& c) {
    bind(n, s, c);
    where(s) = n.mark;
  };
  return key;
}

}  // namespace sgdsim
