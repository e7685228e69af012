#pragma once
// A small YAML document tree that remembers where every value was written and refuses duplicate
// keys (yaml-cpp's own Node accepts them silently and keeps only one).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/scenario_error.hpp"

namespace sgdsim {

/// One YAML value with its position. Maps keep their keys in document order.
struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };

  Kind kind = Kind::kNull;
  Mark mark;
  std::string scalar;   ///< The text of a scalar.
  bool quoted = false;  ///< The scalar was quoted, so it is a string whatever it looks like.
  std::vector<YamlNode> items;                         ///< Elements of a sequence.
  std::vector<std::pair<YamlNode, YamlNode>> entries;  ///< Key and value of each map entry.

  // Defined where YamlNode is complete: clang 14 with libstdc++ 12 in C++20 otherwise instantiates
  // the destructor of `entries` while std::pair<YamlNode, YamlNode> is still incomplete.
  YamlNode();                                ///< A null node.
  YamlNode(const YamlNode&);                 ///< A deep copy.
  YamlNode(YamlNode&&) noexcept;             ///< Takes the other's contents.
  YamlNode& operator=(const YamlNode&);      ///< A deep copy.
  YamlNode& operator=(YamlNode&&) noexcept;  ///< Takes the other's contents.
  ~YamlNode();                               ///< Frees the subtree.

  /// The value under `key` in a map, or null when absent (or not a map).
  const YamlNode* find(const std::string& key) const;
  YamlNode* find(const std::string& key);

  /// Human name of the kind for error messages: "a map", "a list", "a value", "nothing".
  std::string kind_name() const;
};

/// Parses one YAML document. Syntax errors, duplicate keys, non-scalar keys and scalars (keys or
/// values) that are not well-formed UTF-8 throw ScenarioError with the position; `file` names the
/// source in messages. An empty document is a null node. Values parsed for a `--set` option carry
/// `option` in their marks instead of a line.
YamlNode parse_yaml(const std::string& text, const std::string& file,
                    const std::string& option = {});

/// The offset of the first byte of `text` that does not start a well-formed UTF-8 sequence (an
/// overlong form, a surrogate or a code point above U+10FFFF included), or npos when it is UTF-8.
std::size_t invalid_utf8_at(std::string_view text);

/// Writes a tree back as block-style YAML (used for scenario.resolved.yaml).
std::string emit_yaml(const YamlNode& root);

}  // namespace sgdsim
