// Loading a scenario: parse, apply --set overrides, check every key against the declarations,
// bind values in declaration order, then check what involves several keys.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/cluster_builder.hpp"
#include "app/scenario.hpp"
#include "app/scenario_checks.hpp"
#include "app/scenario_keys.hpp"
#include "app/suggest.hpp"
#include "app/yaml_paths.hpp"

namespace sgdsim {
namespace {

/// Names valid directly under `prefix` ("" for the top level): keys and section names.
std::vector<std::string> names_under(const std::string& prefix) {
  std::vector<std::string> names;
  for (const KeyDecl& k : scenario_keys()) {
    if (k.path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = k.path.substr(prefix.size());
    const std::string first = rest.substr(0, rest.find('.'));
    if (std::find(names.begin(), names.end(), first) == names.end()) names.push_back(first);
  }
  return names;
}

bool is_key(const std::string& path) {
  for (const KeyDecl& k : scenario_keys())
    if (k.path == path) return true;
  return false;
}

/// Fails at the first key that the declarations do not know, or a section that is not a map.
void check_structure(const YamlNode& map, const std::string& prefix, const LoadContext& ctx) {
  const std::vector<std::string> names = names_under(prefix);
  for (const auto& [key, value] : map.entries) {
    const std::string path = prefix + key.scalar;
    if (is_key(path)) continue;
    if (std::find(names.begin(), names.end(), key.scalar) == names.end()) {
      const std::string where =
          prefix.empty() ? "" : " in section '" + prefix.substr(0, prefix.size() - 1) + "'";
      ctx.fail(key, "unknown key '" + key.scalar + "'" + where + did_you_mean(key.scalar, names));
    }
    if (value.kind == YamlNode::Kind::kNull) continue;
    if (value.kind != YamlNode::Kind::kMap)
      ctx.fail(value,
               "'" + path + "' is a section: expected a map of its keys, got " + value.kind_name());
    check_structure(value, path + ".", ctx);
  }
}

void apply_override(YamlNode& root, const Override& o, const LoadContext& ctx) {
  const Mark mark{0, 0, o.text};
  const auto eq = o.text.find('=');
  YamlNode at;
  at.mark = mark;
  if (eq == std::string::npos || eq == 0)
    ctx.fail(at, "expected KEY=VALUE, such as cluster.workers=8");
  const std::string path = o.text.substr(0, eq);
  YamlNode value = parse_yaml(o.text.substr(eq + 1), ctx.file, o.text);
  value.mark = mark;
  // Check the path now, so a misspelt key names the option rather than a line.
  const auto parts = split_path(path);
  std::string prefix;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto names = names_under(prefix);
    if (std::find(names.begin(), names.end(), parts[i]) == names.end() ||
        (i + 1 == parts.size()) != is_key(prefix + parts[i])) {
      std::vector<std::string> all;
      for (const KeyDecl& k : scenario_keys()) all.push_back(k.path);
      ctx.fail(at, "unknown key '" + path + "'" + did_you_mean(path, all));
    }
    prefix += parts[i] + ".";
  }
  put(root, path, std::move(value), ctx);
}

/// Binds every key of `root`, whose structure is checked, and checks them together.
Scenario load_root(const YamlNode& root, const LoadContext& ctx) {
  Scenario s;
  s.file = ctx.file;
  s.name = std::filesystem::path(ctx.file).stem().string();
  YamlNode resolved;
  resolved.kind = YamlNode::Kind::kMap;
  for (const KeyDecl& key : scenario_keys()) {
    const YamlNode* given = lookup(root, key.path);
    if (given && given->kind == YamlNode::Kind::kNull) given = nullptr;
    YamlNode value;
    if (given) {
      value = *given;
    } else if (key.required) {
      ctx.fail(nearest(root, key.path), "missing required key '" + key.path + "': " + key.help);
    } else if (!key.default_yaml.empty()) {
      value = parse_yaml(key.default_yaml, "(default of " + key.path + ")");
    }
    if (value.kind != YamlNode::Kind::kNull) key.bind(value, s, ctx);
    put(resolved, key.path, std::move(value), ctx);
  }
  // YAML text is checked as it is parsed; a name left to the file's name may still not be UTF-8,
  // which summary.json cannot hold.
  if (invalid_utf8_at(s.name) != std::string::npos)
    ctx.fail(root, "the file name is not UTF-8 text: give the scenario a name");
  resolve_scenario(root, s, resolved, ctx);
  build_topology(s);  // Validates link names and reachability now, not mid-run.
  return s;
}

/// A setting's name: the swept key's last part and the value, in characters safe in a path.
std::string setting_label(const std::string& key, const YamlNode& value, std::size_t index) {
  std::string text =
      key.substr(key.rfind('.') + 1) + "=" +
      (value.kind == YamlNode::Kind::kScalar ? value.scalar : "setting" + std::to_string(index));
  for (char& c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '=' &&
        c != '_')
      c = '_';
  return text;
}

/// Hyperparameter-parallel runs: one scenario per value of the swept key, each loaded and checked
/// in full (a bad value fails at its own position), on its share of the workers.
void expand_sweep(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  const SweepSpec& sweep = s.sweep;
  const YamlNode& at_key = position_of(root, "sweep.key");
  if (sweep.key.empty()) ctx.fail(at_key, "missing required key 'sweep.key' for sweep.values");
  if (!is_key(sweep.key) || sweep.key.starts_with("sweep.")) {
    std::vector<std::string> all;
    for (const KeyDecl& k : scenario_keys())
      if (!k.path.starts_with("sweep.")) all.push_back(k.path);
    ctx.fail(at_key,
             "sweep.key: '" + sweep.key + "' is not a scenario key" + did_you_mean(sweep.key, all));
  }
  if (sweep.values.empty())
    ctx.fail(nearest(root, "sweep.values"), "missing required key 'sweep.values' for a sweep");
  if (sweep.share_workers && sweep.key == "cluster.workers")
    ctx.fail(at_key,
             "the settings share cluster.workers, so it cannot be swept; set "
             "sweep.share_workers: false");
  const std::size_t q = sweep.values.size();
  if (sweep.share_workers && s.workers < q)
    ctx.fail(position_of(root, "cluster.workers"),
             std::to_string(s.workers) + " workers cannot be shared by " + std::to_string(q) +
                 " settings; set sweep.share_workers: false to give each its own");
  using Pick = SweepSpec::Pick;
  if (!s.learns() && sweep.pick != Pick::kUpdatesPerSecond)
    ctx.fail(position_of(root, "sweep.pick"),
             "a timing-only sweep has no loss to compare: set model.type, or sweep.pick: "
             "updates_per_s");
  if (sweep.pick == Pick::kTimeToTarget && !s.target_loss)
    ctx.fail(position_of(root, "sweep.pick"), "sweep.pick time_to_target needs stop.target_loss");
  YamlNode base = root;
  std::erase_if(base.entries, [](const auto& e) { return e.first.scalar == "sweep"; });
  for (std::size_t i = 0; i < q; ++i) {
    YamlNode copy = base;
    put(copy, sweep.key, sweep.values[i], ctx);
    if (sweep.share_workers) {
      // The first (workers mod q) settings take one worker more.
      YamlNode share = scalar(std::to_string(s.workers / q + (i < s.workers % q ? 1 : 0)));
      share.mark = position_of(root, "sweep.values").mark;
      put(copy, "cluster.workers", std::move(share), ctx);
    }
    Scenario setting = load_root(copy, ctx);
    setting.name = s.name + "-" + setting_label(sweep.key, sweep.values[i], i);
    put(setting.resolved, "name", scalar(setting.name), ctx);
    s.settings.push_back(std::move(setting));
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path))
    throw FileNotFound("cannot read scenario file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::uint64_t Scenario::shard_bytes(std::uint32_t shard, std::uint64_t dimension) const {
  // Parameters are dealt out evenly; the first (dimension mod shards) shards take one more.
  const std::uint64_t params = dimension / parameter_nodes + (shard < dimension % parameter_nodes);
  return params * value_bytes + header_bytes;
}

Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides) {
  return load_scenario_text(read_file(path), path, overrides);
}

Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<Override>& overrides) {
  const LoadContext ctx{file, std::filesystem::path(file).parent_path().string()};
  YamlNode root = parse_yaml(text, file);
  if (root.kind == YamlNode::Kind::kNull) {
    root.kind = YamlNode::Kind::kMap;
    root.mark = {1, 1, {}};
  }
  if (root.kind != YamlNode::Kind::kMap)
    ctx.fail(root,
             "a scenario is a map of sections (cluster, compute, ...), not " + root.kind_name());
  for (const Override& o : overrides) apply_override(root, o, ctx);
  check_structure(root, "", ctx);
  Scenario s = load_root(root, ctx);
  if (!s.sweep.key.empty() || !s.sweep.values.empty()) expand_sweep(root, s, ctx);
  return s;
}

}  // namespace sgdsim
