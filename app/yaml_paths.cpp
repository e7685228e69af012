#include "app/yaml_paths.hpp"

#include <sstream>

namespace sgdsim {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

const YamlNode* lookup(const YamlNode& root, const std::string& path) {
  const YamlNode* n = &root;
  for (const std::string& part : split_path(path)) {
    n = n->find(part);
    if (!n) return nullptr;
  }
  return n;
}

const YamlNode& nearest(const YamlNode& root, const std::string& path) {
  const YamlNode* n = &root;
  for (const std::string& part : split_path(path)) {
    const YamlNode* next = n->find(part);
    if (!next || next->kind != YamlNode::Kind::kMap) break;
    n = next;
  }
  return *n;
}

const YamlNode& position_of(const YamlNode& root, const std::string& path) {
  const YamlNode* n = lookup(root, path);
  return n ? *n : nearest(root, path);
}

YamlNode scalar(std::string text) {
  YamlNode n;
  n.kind = YamlNode::Kind::kScalar;
  n.scalar = std::move(text);
  return n;
}

void put(YamlNode& root, const std::string& path, YamlNode value, const LoadContext& ctx) {
  YamlNode* n = &root;
  const std::vector<std::string> parts = split_path(path);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (n->kind == YamlNode::Kind::kNull) n->kind = YamlNode::Kind::kMap;
    if (n->kind != YamlNode::Kind::kMap) ctx.fail(value, "'" + path + "' is not inside a section");
    YamlNode* child = n->find(parts[i]);
    if (!child) {
      YamlNode key = scalar(parts[i]);
      key.mark = value.mark;
      n->entries.emplace_back(std::move(key), YamlNode{});
      child = &n->entries.back().second;
    }
    n = child;
  }
  *n = std::move(value);
}

}  // namespace sgdsim
