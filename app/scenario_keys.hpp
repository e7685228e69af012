#pragma once
// The declaration of every scenario key: its type, default, unit and range, help, example, and how
// its value lands in a Scenario. The loader, `sgdsim keys` and docs/scenario.md all read this
// table.

#include <functional>
#include <string>
#include <vector>

#include "app/scenario.hpp"
#include "app/yaml_tree.hpp"

namespace sgdsim {

/// What a key's binder needs besides the value: where the scenario lives, for messages and paths.
struct LoadContext {
  std::string file;      ///< For messages.
  std::string base_dir;  ///< Relative file names in the scenario are resolved against it.

  /// Throws ScenarioError at `node`'s position.
  [[noreturn]] void fail(const YamlNode& node, const std::string& message) const;
};

/// One scenario key.
struct KeyDecl {
  std::string path;          ///< Dotted path, such as "cluster.workers".
  std::string type;          ///< What a value looks like, for docs: "integer", "duration", ...
  std::string default_yaml;  ///< The default as YAML text; empty when required or unset.
  bool required = false;
  std::string range;  ///< Valid values, for docs and messages.
  std::string help;
  std::string example;  ///< A YAML value for the docs.
  std::function<void(const YamlNode&, Scenario&, const LoadContext&)> bind;
};

/// All keys, in the order the docs and scenario.resolved.yaml list them.
const std::vector<KeyDecl>& scenario_keys();

/// The reference of all keys as Markdown (the text of docs/scenario.md).
std::string scenario_keys_markdown();

}  // namespace sgdsim
