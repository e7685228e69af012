// Loading a scenario: parse, apply --set overrides, check every key against the declarations,
// bind values in declaration order, then check what involves several keys.

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/cluster_builder.hpp"
#include "app/scenario.hpp"
#include "app/scenario_keys.hpp"
#include "app/suggest.hpp"

namespace sgdsim {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

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

/// The node at `path`, or null.
const YamlNode* lookup(const YamlNode& root, const std::string& path) {
  const YamlNode* n = &root;
  for (const std::string& part : split_path(path)) {
    n = n->find(part);
    if (!n) return nullptr;
  }
  return n;
}

/// The deepest existing node on `path`, where a missing key is best reported.
const YamlNode& nearest(const YamlNode& root, const std::string& path) {
  const YamlNode* n = &root;
  for (const std::string& part : split_path(path)) {
    const YamlNode* next = n->find(part);
    if (!next || next->kind != YamlNode::Kind::kMap) break;
    n = next;
  }
  return *n;
}

/// The value at `path` when it was written, else where it would go.
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

/// Sets `value` at dotted `path`, creating sections as needed.
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

/// Checks the algorithm's own keys against the cluster and works out how many gradients make
/// one update.
void resolve_algorithm(const YamlNode& root, Scenario& s, const LoadContext& ctx) {
  const std::string& a = s.algorithm;
  s.wait_for = s.protocol == ProtocolType::kSync ? s.workers : 1;
  if (a == "k_sync" || a == "k_batch_sync" || a == "k_async" || a == "k_batch_async") {
    if (s.k == 0)
      ctx.fail(position_of(root, "algorithm.type"), "missing required key 'algorithm.k' for " + a);
    // Without batches a worker gives one gradient per update at most.
    if (s.k > s.workers && (a == "k_sync" || a == "k_async"))
      ctx.fail(position_of(root, "algorithm.k"),
               "algorithm.k " + std::to_string(s.k) + " exceeds the " + std::to_string(s.workers) +
                   " workers (k_batch_sync and k_batch_async allow it)");
    s.wait_for = s.k;
  }
  if (a == "backup") {
    if (s.backup_workers >= s.workers)
      ctx.fail(position_of(root, "algorithm.backup_workers"),
               "algorithm.backup_workers must be fewer than the " + std::to_string(s.workers) +
                   " workers");
    s.wait_for = s.workers - s.backup_workers;
  }
  if (a == "ssp" && !s.staleness_bound)
    ctx.fail(position_of(root, "algorithm.type"),
             "missing required key 'algorithm.staleness_bound' for ssp");
  if (a == "all_reduce") {
    if (lookup(root, "cluster.parameter_nodes"))
      ctx.fail(position_of(root, "cluster.parameter_nodes"),
               "all_reduce has no parameter node: the workers reduce among themselves");
    if (s.workers < 2)
      ctx.fail(position_of(root, "cluster.workers"), "all_reduce needs at least 2 workers");
    if (s.compression.kind != CompressionSettings::Kind::kNone)
      ctx.fail(position_of(root, "algorithm.compression"),
               "all_reduce sums gradients on the way: compression applies to pushes only");
    s.parameter_nodes = 0;
  }
  if (s.fetch_every == 0) s.fetch_every = s.push_every;
  if ((a == "local_sgd" || a == "full_batch" || a == "coordinate_parallel") && !s.learns())
    ctx.fail(position_of(root, "algorithm.type"),
             a + " is defined by what it computes: set model.type to something to train");
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

  Scenario s;
  s.file = file;
  s.name = std::filesystem::path(file).stem().string();
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

  if (s.stop_updates == 0 && s.stop_time == 0.0)
    ctx.fail(nearest(root, "stop.updates"),
             "missing required key 'stop.updates' or 'stop.time': a run needs an end");
  const bool binary = s.model_type == "logistic" || s.model_type == "svm";
  const bool classifies = binary || s.model_type == "softmax" || s.model_type == "mlp";
  const auto where_data = [&]() -> const YamlNode& {
    return position_of(root, lookup(root, "data.source") ? "data.source" : "model.type");
  };
  if (classifies && s.data_source == "regression")
    ctx.fail(where_data(), "model.type " + s.model_type +
                               " classifies, but data.source regression has real labels; use "
                               "classification, rings, blobs, sparse or libsvm");
  if (binary && s.data_source == "blobs")
    ctx.fail(where_data(), "model.type " + s.model_type +
                               " has two classes, but data.source blobs has several; use softmax "
                               "or mlp");
  if (s.model_type == "least_squares" && s.data_source != "regression" && s.data_source != "libsvm")
    ctx.fail(where_data(), "model.type least_squares fits real labels; data.source " +
                               s.data_source + " has classes (use logistic, svm, softmax or mlp)");
  resolve_algorithm(root, s, ctx);
  if (s.parameter_nodes == 0) put(resolved, "cluster.parameter_nodes", scalar("0"), ctx);
  put(resolved, "algorithm.fetch_every", scalar(std::to_string(s.fetch_every)), ctx);
  if (s.scaling_reference_batch > 0) {
    // The linear scaling rule: the step grows with the samples that make one update.
    const std::uint64_t per_update = static_cast<std::uint64_t>(s.batch_size) * s.wait_for;
    s.update.step.eta0 *=
        static_cast<double>(per_update) / static_cast<double>(s.scaling_reference_batch);
  }
  if (!s.learns() && s.compression.kind != CompressionSettings::Kind::kNone)
    ctx.fail(position_of(root, "algorithm.compression"),
             "gradient compression needs a model to compress: set model.type");
  if (s.data_source == "libsvm" && s.data_file.empty())
    ctx.fail(position_of(root, "data.source"),
             "missing required key 'data.file' for data.source libsvm");
  if (s.worker_factors.empty()) s.worker_factors.assign(s.workers, 1.0);
  if (s.metrics_every == 0)
    s.metrics_every = s.stop_updates ? std::max<std::uint64_t>(1, s.stop_updates / 100) : 100;
  if (!lookup(root, "name")) put(resolved, "name", scalar(s.name), ctx);
  put(resolved, "output.metrics_every", scalar(std::to_string(s.metrics_every)), ctx);
  s.resolved = std::move(resolved);
  build_topology(s);  // Validates link names and reachability now, not mid-run.
  return s;
}

}  // namespace sgdsim
