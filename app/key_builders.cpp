#include "app/key_builders.hpp"

#include <fmt/format.h>

#include "app/yaml_values.hpp"

namespace sgdsim {

KeyDecl integer_key(std::string path, std::string help, std::string def, std::int64_t min,
                    std::int64_t max, std::string example,
                    std::function<void(Scenario&, std::int64_t)> set) {
  std::string range = std::to_string(min) + " to " + (max == kMaxInt ? "any" : std::to_string(max));
  return {std::move(path),
          "integer",
          std::move(def),
          false,
          std::move(range),
          std::move(help),
          std::move(example),
          [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
            set(s, read_integer(n, c, min, max));
          }};
}

KeyDecl real_key(std::string path, std::string help, std::string def, double min, double max,
                 std::string example, std::function<void(Scenario&, double)> set) {
  const std::string range = max == std::numeric_limits<double>::max()
                                ? fmt::format("{} or more", min)
                                : fmt::format("{} to {}", min, max);
  return {std::move(path),
          "number",
          std::move(def),
          false,
          range,
          std::move(help),
          std::move(example),
          [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
            set(s, read_real(n, c, min, max));
          }};
}

KeyDecl boolean_key(std::string path, std::string help, std::string def,
                    std::function<void(Scenario&, bool)> set) {
  return {std::move(path),
          "boolean",
          std::move(def),
          false,
          "true or false",
          std::move(help),
          "true",
          [=](const YamlNode& n, Scenario& s, const LoadContext& c) { set(s, read_bool(n, c)); }};
}

KeyDecl choice_key(std::string path, std::string help, std::vector<std::string> choices,
                   std::string def, std::function<void(Scenario&, std::size_t)> set) {
  std::string range;
  for (const std::string& c : choices) range += (range.empty() ? "" : ", ") + c;
  std::string example = choices.back();
  return {std::move(path),
          "choice",
          std::move(def),
          false,
          range,
          std::move(help),
          std::move(example),
          [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
            const std::string v = read_choice(n, c, choices);
            set(s, static_cast<std::size_t>(std::find(choices.begin(), choices.end(), v) -
                                            choices.begin()));
          }};
}

KeyDecl distribution_key(std::string path, std::string help, std::string def, bool required,
                         std::string example, LatencyDistribution Scenario::*field) {
  return {std::move(path),
          "distribution",
          std::move(def),
          required,
          "a duration, or {dist: FAMILY, ...} (see Distributions)",
          std::move(help),
          std::move(example),
          [=](const YamlNode& n, Scenario& s, const LoadContext& c) {
            s.*field = read_distribution(n, c, s.workers);
          }};
}

}  // namespace sgdsim
