#include "app/scenario_keys.hpp"

#include <limits>

#include "app/yaml_values.hpp"

namespace sgdsim {
namespace {

using Bind = std::function<void(const YamlNode&, Scenario&, const LoadContext&)>;
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

/// An integer key in [min, max] stored by `set`.
KeyDecl integer(std::string path, std::string help, std::string def, std::int64_t min,
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

KeyDecl boolean(std::string path, std::string help, std::string def,
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

KeyDecl distribution(std::string path, std::string help, std::string def, bool required,
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

std::vector<KeyDecl> build_keys() {
  std::vector<KeyDecl> k;
  k.push_back({"name", "string", "", false, "any text",
               "Name of the scenario, used in summaries and the default run directory. Default: "
               "the file name without its extension.",
               "quickstart", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.name = scalar_text(n, c, "a name");
               }});
  k.push_back({"description", "string", "\"\"", false, "any text",
               "What the scenario shows, in a sentence or two.",
               "\"Eight workers, one straggler.\"",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.description = scalar_text(n, c, "a text");
               }});
  k.push_back({"seed", "integer", "1", false, "0 to 2^64 - 1",
               "Seed of every random stream; the same scenario and seed give byte-identical "
               "outputs. `--seed` overrides it.",
               "42", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.seed = read_u64(n, c);
               }});

  k.push_back(
      integer("cluster.workers", "Number of workers (w0, w1, ...).", "4", 1, 1'000'000, "8",
              [](Scenario& s, std::int64_t v) { s.workers = static_cast<std::uint32_t>(v); }));
  k.push_back(integer("cluster.parameter_nodes",
                      "Number of parameter nodes (ps0, ps1, ...); the model is split evenly "
                      "across them, each keeping its own version.",
                      "1", 1, 1024, "2", [](Scenario& s, std::int64_t v) {
                        s.parameter_nodes = static_cast<std::uint32_t>(v);
                      }));
  k.push_back(integer(
      "cluster.switches", "Number of switches (sw0, sw1, ...) that `network.links` may use.", "0",
      0, 100'000, "1",
      [](Scenario& s, std::int64_t v) { s.switches = static_cast<std::uint32_t>(v); }));

  k.push_back(distribution("compute.time",
                           "Time a worker takes to compute the gradient of one task of "
                           "`compute.reference_batch` samples; scaled by the worker's factor and "
                           "by batch_size / reference_batch.",
                           "", true, "{dist: shifted_exponential, shift: 1ms, mean: 2ms}",
                           &Scenario::compute_time));
  k.push_back(integer("compute.reference_batch", "Batch size that `compute.time` describes.", "1",
                      1, 1'000'000'000, "32", [](Scenario& s, std::int64_t v) {
                        s.reference_batch = static_cast<std::uint32_t>(v);
                      }));
  k.push_back({"compute.worker_factors", "map of worker index to factor", "{}", false,
               "indices below cluster.workers; factors > 0",
               "Per-worker speed factors: each multiplies that worker's compute times (10 = ten "
               "times slower, 0.5 = twice as fast). Unlisted workers have factor 1.",
               "{3: 10}", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind != YamlNode::Kind::kMap)
                   c.fail(n, "expected a map of worker index to factor, such as {3: 10}, got " +
                                 n.kind_name());
                 s.worker_factors.assign(s.workers, 1.0);
                 for (const auto& [key, value] : n.entries) {
                   const auto w = read_integer(key, c, 0, s.workers - 1);
                   s.worker_factors[static_cast<std::size_t>(w)] = read_real(value, c, 1e-9, 1e9);
                 }
               }});

  k.push_back(distribution("network.latency",
                           "Propagation delay of every link of the default star, drawn per "
                           "message; also the default of `network.links` entries.",
                           "0s", false, "{dist: uniform, min: 50us, max: 150us}",
                           &Scenario::latency));
  k.push_back({"network.bandwidth", "bandwidth", "inf", false, "> 0, or inf",
               "Bandwidth of every link of the default star (and the default of "
               "`network.links` entries). A message takes latency + bytes / bandwidth per hop.",
               "10Gbit/s", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.bandwidth = read_bandwidth(n, c);
               }});
  k.push_back({"network.links", "list of links", "[]", false,
               "each {between: [NODE, NODE], latency?, bandwidth?}",
               "A hand-written topology replacing the default star (every worker linked to every "
               "parameter node). Nodes are named w<i>, ps<i> and sw<i>; routes take the fewest "
               "hops.",
               "[{between: [w0, sw0]}, {between: [sw0, ps0], bandwidth: 1GB/s}]",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind != YamlNode::Kind::kSequence)
                   c.fail(n, "expected a list of links, got " + n.kind_name());
                 for (const YamlNode& item : n.items) {
                   if (item.kind != YamlNode::Kind::kMap)
                     c.fail(item, "expected a link such as {between: [w0, ps0]}, got " +
                                      item.kind_name());
                   reject_unknown_keys(item, c, {"between", "latency", "bandwidth"}, "a link");
                   const YamlNode* ends = item.find("between");
                   if (!ends) c.fail(item, "missing required key 'between' of a link");
                   if (ends->kind != YamlNode::Kind::kSequence || ends->items.size() != 2)
                     c.fail(*ends, "expected two node names, such as [w0, ps0]");
                   LinkSpec link{scalar_text(ends->items[0], c, "a node name"),
                                 scalar_text(ends->items[1], c, "a node name"), s.latency,
                                 s.bandwidth, item.mark};
                   if (const YamlNode* l = item.find("latency"))
                     link.latency = read_distribution(*l, c, s.workers);
                   if (const YamlNode* b = item.find("bandwidth"))
                     link.bandwidth = read_bandwidth(*b, c);
                   s.links.push_back(std::move(link));
                 }
               }});
  k.push_back({"network.value_bytes", "size", "4", false, "1B to 1KiB",
               "Bytes one model parameter takes on the wire (4 for float32).", "2B",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.value_bytes = read_bytes(n, c);
                 if (s.value_bytes < 1 || s.value_bytes > 1024) c.fail(n, "must be 1B to 1KiB");
               }});
  k.push_back({"network.header_bytes", "size", "0", false, "0 or more",
               "Bytes added to every message (protocol headers).", "64B",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.header_bytes = read_bytes(n, c);
               }});

  k.push_back({"algorithm.type", "choice", "sync", false, "sync, async",
               "The synchronisation strategy. `sync`: every worker pulls, computes and pushes; "
               "each parameter node waits for all pushes, then applies one update. `async`: each "
               "push is applied on arrival and the pusher gets the new model.",
               "async", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.protocol = read_choice(n, c, {"sync", "async"}) == "sync" ? ProtocolType::kSync
                                                                             : ProtocolType::kAsync;
               }});
  k.push_back(
      integer("algorithm.batch_size", "Samples per worker per task.", "1", 1, 1'000'000'000, "32",
              [](Scenario& s, std::int64_t v) { s.batch_size = static_cast<std::uint32_t>(v); }));

  k.push_back({"model.type", "choice", "none", false, "none",
               "What is trained. `none` simulates timing only: messages carry "
               "`model.dimension` parameters but nothing is computed.",
               "none", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.model_type = read_choice(n, c, {"none"});
               }});
  k.push_back(integer("model.dimension",
                      "Number of model parameters; with `network.value_bytes` it sets the size "
                      "of every pull and push.",
                      "1000", 1, 1'000'000'000'000, "1000000", [](Scenario& s, std::int64_t v) {
                        s.dimension = static_cast<std::uint64_t>(v);
                      }));

  k.push_back(integer("stop.updates",
                      "Stop after this many model updates: one per round when synchronous, one per "
                      "gradient applied by every parameter node when asynchronous. At least one "
                      "of stop.updates and stop.time is required.",
                      "", 1, kMaxInt, "1000", [](Scenario& s, std::int64_t v) {
                        s.stop_updates = static_cast<std::uint64_t>(v);
                      }));
  k.push_back({"stop.time", "duration", "", false, "> 0",
               "Stop when simulated time reaches this instant.", "10s",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.stop_time = read_duration(n, c, true);
               }});
  k.push_back(integer("stop.max_events", "A safety net: stop after this many events.", "1000000000",
                      1, kMaxInt, "5000000", [](Scenario& s, std::int64_t v) {
                        s.stop_max_events = static_cast<std::uint64_t>(v);
                      }));

  k.push_back(boolean("output.trace",
                      "Write trace.json (Chrome trace format; open it in Perfetto).", "true",
                      [](Scenario& s, bool v) { s.trace = v; }));
  k.push_back(integer("output.trace_max_events",
                      "Events written to trace.json at most; later ones are counted, not written.",
                      "1000000", 0, kMaxInt, "200000", [](Scenario& s, std::int64_t v) {
                        s.trace_max_events = static_cast<std::uint64_t>(v);
                      }));
  k.push_back(boolean("output.updates", "Write updates.csv (one row per applied gradient).", "true",
                      [](Scenario& s, bool v) { s.updates_csv = v; }));
  k.push_back({"output.metrics_every", "integer or auto", "auto", false, "1 or more, or auto",
               "Model updates between rows of metrics.csv. `auto` aims at about 100 rows "
               "(stop.updates / 100, or 100 when only stop.time is given).",
               "50", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind == YamlNode::Kind::kScalar && !n.quoted && n.scalar == "auto") return;
                 s.metrics_every = static_cast<std::uint64_t>(read_integer(n, c, 1, kMaxInt));
               }});
  return k;
}

}  // namespace

void LoadContext::fail(const YamlNode& node, const std::string& message) const {
  throw ScenarioError(file, node.mark, message);
}

const std::vector<KeyDecl>& scenario_keys() {
  static const std::vector<KeyDecl> keys = build_keys();
  return keys;
}

}  // namespace sgdsim
