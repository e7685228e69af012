#pragma once
// Dotted key paths in a YAML tree: finding the node a path names, or where it would go, and
// setting one.

#include <string>
#include <vector>

#include "app/scenario_keys.hpp"
#include "app/yaml_tree.hpp"

namespace sgdsim {

/// "cluster.workers" -> {"cluster", "workers"}.
std::vector<std::string> split_path(const std::string& path);

/// The node at `path`, or null.
const YamlNode* lookup(const YamlNode& root, const std::string& path);

/// The deepest existing node on `path`, where a missing key is best reported.
const YamlNode& nearest(const YamlNode& root, const std::string& path);

/// The value at `path` when it was written, else where it would go.
const YamlNode& position_of(const YamlNode& root, const std::string& path);

/// A scalar node holding `text`.
YamlNode scalar(std::string text);

/// Sets `value` at dotted `path`, creating sections as needed.
void put(YamlNode& root, const std::string& path, YamlNode value, const LoadContext& ctx);

}  // namespace sgdsim
