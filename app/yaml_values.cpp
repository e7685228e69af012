#include "app/yaml_values.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>

#include "app/suggest.hpp"
#include "app/units.hpp"

namespace sgdsim {
namespace {

/// Runs a unit parser, turning its complaint into a positioned error.
template <typename F>
auto parse_at(const YamlNode& node, const LoadContext& ctx, const char* what, F parse) {
  const std::string& text = scalar_text(node, ctx, what);
  try {
    return parse(text);
  } catch (const std::invalid_argument& e) {
    ctx.fail(node, e.what());
  }
}

std::string format_number(double v) {
  return fmt::format("{}", v);  // The shortest text that reads back as v: 0.5, 1e-12.
}

std::vector<double> read_samples_file(const YamlNode& node, const LoadContext& ctx) {
  const std::string& name = scalar_text(node, ctx, "a file name");
  const std::filesystem::path path = std::filesystem::path(ctx.base_dir) / name;
  std::ifstream in(path);
  if (!in) {
    throw FileNotFound(ctx.file + ":" + std::to_string(node.mark.line) + ":" +
                       std::to_string(node.mark.column) + ": cannot read samples file '" +
                       path.string() + "'");
  }
  std::vector<double> samples;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      // A bare number in a samples file is seconds, as measured timings are usually written.
      const bool bare = line.find_first_of("nuµmsh") == std::string::npos;
      samples.push_back(bare ? parse_real(line) : parse_duration(line));
      if (samples.back() < 0.0) throw std::invalid_argument("a duration cannot be negative");
    } catch (const std::invalid_argument& e) {
      throw ScenarioError(path.string(), {number, 1, {}}, e.what());
    }
  }
  if (samples.empty()) ctx.fail(node, "samples file '" + path.string() + "' holds no samples");
  return samples;
}

}  // namespace

const std::string& scalar_text(const YamlNode& node, const LoadContext& ctx, const char* what) {
  if (node.kind != YamlNode::Kind::kScalar)
    ctx.fail(node, std::string("expected ") + what + ", got " + node.kind_name());
  return node.scalar;
}

std::int64_t read_integer(const YamlNode& node, const LoadContext& ctx, std::int64_t min,
                          std::int64_t max) {
  const std::string& text = scalar_text(node, ctx, "an integer");
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) ctx.fail(node, "expected an integer, got '" + text + "'");
  if (v < min || v > max)
    ctx.fail(node, "value " + text + " is out of range [" + std::to_string(min) + ", " +
                       std::to_string(max) + "]");
  return v;
}

std::uint64_t read_u64(const YamlNode& node, const LoadContext& ctx) {
  const std::string& text = scalar_text(node, ctx, "a non-negative integer");
  std::size_t used = 0;
  unsigned long long v = 0;
  try {
    if (!text.empty() && text[0] != '-') v = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    ctx.fail(node, "expected a non-negative integer, got '" + text + "'");
  return v;
}

double read_real(const YamlNode& node, const LoadContext& ctx, double min, double max) {
  const double v = parse_at(node, ctx, "a number", parse_real);
  if (max == std::numeric_limits<double>::max() && v < min)
    ctx.fail(node, "value " + node.scalar + " is below the minimum " + format_number(min));
  if (v < min || v > max)
    ctx.fail(node, "value " + node.scalar + " is out of range [" + format_number(min) + ", " +
                       format_number(max) + "]");
  return v;
}

bool read_bool(const YamlNode& node, const LoadContext& ctx) {
  const std::string& text = scalar_text(node, ctx, "true or false");
  if (!node.quoted && text == "true") return true;
  if (!node.quoted && text == "false") return false;
  ctx.fail(node, "expected true or false, got '" + text + "'");
}

std::string read_choice(const YamlNode& node, const LoadContext& ctx,
                        const std::vector<std::string>& choices) {
  const std::string& text = scalar_text(node, ctx, "a name");
  for (const std::string& c : choices)
    if (c == text) return c;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  ctx.fail(node, "unknown value '" + text + "'" + did_you_mean(text, choices) +
                     "; expected one of: " + list);
}

double read_duration(const YamlNode& node, const LoadContext& ctx, bool positive) {
  const double s = parse_at(node, ctx, "a duration such as 2ms", parse_duration);
  if (positive && !(s > 0.0)) ctx.fail(node, "the duration must be greater than 0");
  return s;
}

std::uint64_t read_bytes(const YamlNode& node, const LoadContext& ctx) {
  return parse_at(node, ctx, "a size such as 4KiB", parse_bytes);
}

double read_bandwidth(const YamlNode& node, const LoadContext& ctx) {
  return parse_at(node, ctx, "a bandwidth such as 10Gbit/s", parse_bandwidth);
}

void reject_unknown_keys(const YamlNode& map, const LoadContext& ctx,
                         const std::vector<std::string>& allowed, const std::string& where) {
  for (const auto& [key, value] : map.entries) {
    bool known = false;
    for (const std::string& a : allowed) known = known || a == key.scalar;
    if (!known)
      ctx.fail(key,
               "unknown key '" + key.scalar + "' in " + where + did_you_mean(key.scalar, allowed));
  }
}

LatencyDistribution read_distribution(const YamlNode& node, const LoadContext& ctx,
                                      std::uint32_t workers) {
  if (node.kind == YamlNode::Kind::kScalar)
    return LatencyDistribution::make(LatencyKind::kConstant, {{"value", read_duration(node, ctx)}});
  if (node.kind != YamlNode::Kind::kMap)
    ctx.fail(node, "expected a duration or a map such as {dist: exponential, mean: 2ms}, got " +
                       node.kind_name());
  const YamlNode* dist = node.find("dist");
  if (!dist) ctx.fail(node, "missing required key 'dist' (the distribution family)");
  std::vector<std::string> names;
  for (const LatencyFamily& f : latency_families()) names.push_back(f.name);
  const std::string name = read_choice(*dist, ctx, names);
  const LatencyFamily* family = nullptr;
  for (const LatencyFamily& f : latency_families())
    if (f.name == name) family = &f;

  std::vector<std::string> allowed = {"dist"};
  for (const LatencyParam& p : family->params) allowed.push_back(p.name);
  if (family->kind == LatencyKind::kEmpirical) allowed.push_back("file");
  if (family->kind == LatencyKind::kStraggler) {
    allowed.push_back("base");
    allowed.push_back("slow_workers");
  }
  reject_unknown_keys(node, ctx, allowed, "a '" + name + "' distribution");

  std::map<std::string, double> values;
  for (const LatencyParam& p : family->params) {
    const YamlNode* v = node.find(p.name);
    if (!v) {
      if (!p.default_value)
        ctx.fail(node, "missing required key '" + p.name + "' of a '" + name + "' distribution");
      values[p.name] = *p.default_value;
      continue;
    }
    const double inf = std::numeric_limits<double>::infinity();
    values[p.name] = p.unit == ParamUnit::kTime          ? read_duration(*v, ctx)
                     : p.unit == ParamUnit::kProbability ? read_real(*v, ctx, 0.0, 1.0)
                                                         : read_real(*v, ctx, -inf, inf);
  }

  try {
    if (family->kind == LatencyKind::kEmpirical) {
      const YamlNode* file = node.find("file");
      if (!file) ctx.fail(node, "missing required key 'file' of an 'empirical' distribution");
      return LatencyDistribution::empirical(read_samples_file(*file, ctx));
    }
    if (family->kind == LatencyKind::kStraggler) {
      const YamlNode* base = node.find("base");
      if (!base) ctx.fail(node, "missing required key 'base' of a 'straggler' distribution");
      std::vector<std::uint64_t> slow;
      if (const YamlNode* list = node.find("slow_workers")) {
        if (list->kind != YamlNode::Kind::kSequence)
          ctx.fail(*list, "expected a list of worker indices, got " + list->kind_name());
        for (const YamlNode& item : list->items)
          slow.push_back(static_cast<std::uint64_t>(read_integer(item, ctx, 0, workers - 1)));
      }
      return LatencyDistribution::straggler(read_distribution(*base, ctx, workers), values["p"],
                                            values["factor"], std::move(slow));
    }
    return LatencyDistribution::make(family->kind, values);
  } catch (const std::invalid_argument& e) {
    // The family's builder names the parameter at fault; point at it when it was written.
    const std::string message = e.what();
    for (const LatencyParam& p : family->params)
      if (const YamlNode* v = node.find(p.name); v && message.find("'" + p.name + "'") == 0)
        ctx.fail(*v, message);
    ctx.fail(node, message);
  }
}

}  // namespace sgdsim
