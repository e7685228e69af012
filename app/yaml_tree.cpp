#include "app/yaml_tree.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <sstream>

namespace sgdsim {
namespace {

/// Builds a YamlNode tree from yaml-cpp's parse events.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, const std::string& option) : file_(file), option_(option) {}

  YamlNode take() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    YamlNode n;
    n.mark = to_mark(m);
    add(std::move(n), anchor);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw ScenarioError(file_, to_mark(m), "unknown alias");
    YamlNode copy = it->second;
    copy.mark = to_mark(m);
    add(std::move(copy), 0);
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.mark = to_mark(m);
    // Every string may end up in summary.json, which must be UTF-8: refuse it here, positioned.
    if (const std::size_t bad = invalid_utf8_at(value); bad != std::string::npos)
      throw ScenarioError(file_, n.mark,
                          fmt::format("invalid UTF-8 (byte 0x{:02X} at byte {} of the value): "
                                      "a scenario is UTF-8 text",
                                      static_cast<unsigned char>(value[bad]), bad));
    n.scalar = value;
    n.quoted = (tag == "!");
    add(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kSequence, m, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::kMap, m, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YamlNode node;
    YAML::anchor_t anchor;
    std::unique_ptr<YamlNode> pending_key;  ///< A map's key waiting for its value.
  };

  Mark to_mark(const YAML::Mark& m) const {
    return option_.empty() ? Mark{m.line + 1, m.column + 1, {}} : Mark{0, 0, option_};
  }

  void open(YamlNode::Kind kind, const YAML::Mark& m, YAML::anchor_t anchor) {
    YamlNode n;
    n.kind = kind;
    n.mark = to_mark(m);
    stack_.push_back({std::move(n), anchor, nullptr});
  }

  void close() {
    Open done = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(done.node), done.anchor);
  }

  void add(YamlNode n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& parent = stack_.back();
    if (parent.node.kind == YamlNode::Kind::kSequence) {
      parent.node.items.push_back(std::move(n));
      return;
    }
    if (!parent.pending_key) {
      if (n.kind != YamlNode::Kind::kScalar)
        throw ScenarioError(file_, n.mark, "a key must be a plain name, not " + n.kind_name());
      if (parent.node.find(n.scalar)) {
        // Two equal keys would silently lose one value: name both places.
        throw ScenarioError(file_, n.mark,
                            "duplicate key '" + n.scalar + "' (first given at line " +
                                std::to_string(first_key_line(parent.node, n.scalar)) + ")");
      }
      parent.pending_key = std::make_unique<YamlNode>(std::move(n));
      return;
    }
    parent.node.entries.emplace_back(std::move(*parent.pending_key), std::move(n));
    parent.pending_key.reset();
  }

  static int first_key_line(const YamlNode& map, const std::string& key) {
    for (const auto& [k, v] : map.entries)
      if (k.scalar == key) return k.mark.line;
    return 0;
  }

  const std::string& file_;
  const std::string& option_;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, YamlNode> anchors_;
  YamlNode root_;
};

void emit(YAML::Emitter& out, const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      out << YAML::Null;
      break;
    case YamlNode::Kind::kScalar:
      if (n.quoted) out << YAML::DoubleQuoted;
      out << n.scalar;
      break;
    case YamlNode::Kind::kSequence:
      out << YAML::BeginSeq;
      for (const YamlNode& item : n.items) emit(out, item);
      out << YAML::EndSeq;
      break;
    case YamlNode::Kind::kMap:
      out << YAML::BeginMap;
      for (const auto& [k, v] : n.entries) {
        out << YAML::Key << k.scalar << YAML::Value;
        emit(out, v);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

YamlNode::YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;
YamlNode::~YamlNode() = default;

const YamlNode* YamlNode::find(const std::string& key) const {
  for (const auto& [k, v] : entries)
    if (k.scalar == key) return &v;
  return nullptr;
}

YamlNode* YamlNode::find(const std::string& key) {
  return const_cast<YamlNode*>(static_cast<const YamlNode*>(this)->find(key));
}

std::string YamlNode::kind_name() const {
  switch (kind) {
    case Kind::kNull:
      return "nothing";
    case Kind::kScalar:
      return "a value";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a map";
  }
  return "?";
}

YamlNode parse_yaml(const std::string& text, const std::string& file, const std::string& option) {
  std::istringstream in(text);
  TreeBuilder builder(file, option);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    if (parser.HandleNextDocument(builder)) {
      throw ScenarioError(file, {}, "a scenario holds one YAML document, not several");
    }
  } catch (const YAML::Exception& e) {
    const Mark mark =
        option.empty() ? Mark{e.mark.line + 1, e.mark.column + 1, {}} : Mark{0, 0, option};
    throw ScenarioError(file, mark, "YAML syntax error: " + e.msg);
  }
  return builder.take();
}

std::size_t invalid_utf8_at(std::string_view text) {
  // Unicode's table of well-formed byte sequences: the lead byte fixes the length and the range of
  // the second byte; later bytes are 80..BF.
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong below U+10000
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (text.size() - i < length) return i;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::string emit_yaml(const YamlNode& root) {
  YAML::Emitter out;
  emit(out, root);
  return std::string(out.c_str()) + "\n";
}

}  // namespace sgdsim
