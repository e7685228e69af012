#include "app/scenario_keys.hpp"

#include "app/key_builders.hpp"
#include "app/yaml_values.hpp"

namespace sgdsim {
namespace {

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
      integer_key("cluster.workers", "Number of workers (w0, w1, ...).", "4", 1, 1'000'000, "8",
                  [](Scenario& s, std::int64_t v) { s.workers = static_cast<std::uint32_t>(v); }));
  k.push_back(integer_key("cluster.parameter_nodes",
                          "Number of parameter nodes (ps0, ps1, ...); the model is split evenly "
                          "across them, each keeping its own version.",
                          "1", 1, 1024, "2", [](Scenario& s, std::int64_t v) {
                            s.parameter_nodes = static_cast<std::uint32_t>(v);
                          }));
  k.push_back(integer_key(
      "cluster.switches", "Number of switches (sw0, sw1, ...) that `network.links` may use.", "0",
      0, 100'000, "1",
      [](Scenario& s, std::int64_t v) { s.switches = static_cast<std::uint32_t>(v); }));

  k.push_back({"cluster.failures", "map of worker index to time", "{}", false,
               "indices below cluster.workers; times >= 0",
               "Workers that fail, and when: a failed worker loses its task in progress and "
               "never computes again. A synchronous round then waits for it (until "
               "`algorithm.round_timeout`), K-sync and backup workers go on without it, "
               "asynchronous SGD continues with the others.",
               "{3: 500ms}", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind != YamlNode::Kind::kMap)
                   c.fail(n, "expected a map of worker index to time, such as {3: 500ms}, got " +
                                 n.kind_name());
                 for (const auto& [key, value] : n.entries) {
                   const auto w =
                       static_cast<std::uint32_t>(read_integer(key, c, 0, s.workers - 1));
                   s.failures.emplace_back(w, read_duration(value, c));
                 }
               }});
  k.push_back(distribution_key(
      "compute.time",
      "Time a worker takes to compute the gradient of one task of "
      "`compute.reference_batch` samples; scaled by the worker's factor and "
      "by batch_size / reference_batch.",
      "", true, "{dist: shifted_exponential, shift: 1ms, mean: 2ms}", &Scenario::compute_time));
  k.push_back(integer_key("compute.reference_batch", "Batch size that `compute.time` describes.",
                          "1", 1, 1'000'000'000, "32", [](Scenario& s, std::int64_t v) {
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

  k.push_back(distribution_key("network.latency",
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

  add_learning_keys(k);
  add_hogwild_keys(k);

  k.push_back(integer_key(
      "stop.updates",
      "Stop after this many model updates: one per round when synchronous, one per "
      "gradient applied by every parameter node when asynchronous. At least one "
      "of stop.updates and stop.time is required.",
      "", 1, kMaxInt, "1000",
      [](Scenario& s, std::int64_t v) { s.stop_updates = static_cast<std::uint64_t>(v); }));
  k.push_back({"stop.time", "duration", "", false, "> 0",
               "Stop when simulated time reaches this instant.", "10s",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.stop_time = read_duration(n, c, true);
               }});
  k.push_back({"stop.target_loss", "number", "", false, "any number",
               "A training loss to reach: the run stops at the first evaluation that finds the "
               "training loss at or below it, and summary.json tells when that was.",
               "0.3", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.target_loss = read_real(n, c, -1e300, 1e300);
               }});
  k.push_back(integer_key("stop.max_events", "A safety net: stop after this many events.",
                          "1000000000", 1, kMaxInt, "5000000", [](Scenario& s, std::int64_t v) {
                            s.stop_max_events = static_cast<std::uint64_t>(v);
                          }));

  k.push_back(boolean_key("output.trace",
                          "Write trace.json (Chrome trace format; open it in Perfetto).", "true",
                          [](Scenario& s, bool v) { s.trace = v; }));
  k.push_back(integer_key(
      "output.trace_max_events",
      "Events written to trace.json at most; later ones are counted, not written.", "1000000", 0,
      kMaxInt, "200000",
      [](Scenario& s, std::int64_t v) { s.trace_max_events = static_cast<std::uint64_t>(v); }));
  k.push_back(boolean_key("output.updates", "Write updates.csv (one row per applied gradient).",
                          "true", [](Scenario& s, bool v) { s.updates_csv = v; }));
  k.push_back(integer_key(
      "output.updates_max_rows",
      "Rows written to updates.csv at most (a long asynchronous run makes gigabytes); later "
      "gradients are counted, not written, and summary.json's `updates_csv` says how many were "
      "left out. 0: no cap.",
      "1000000", 0, kMaxInt, "0",
      [](Scenario& s, std::int64_t v) { s.updates_max_rows = static_cast<std::uint64_t>(v); }));
  k.push_back({"output.metrics_interval", "duration", "", false, "> 0",
               "Simulated time between rows of metrics.csv (and evaluations of the model), "
               "instead of a number of updates.",
               "100ms", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.metrics_interval = read_duration(n, c, true);
               }});
  k.push_back({"output.metrics_every", "integer or auto", "auto", false, "1 or more, or auto",
               "Model updates between rows of metrics.csv (and evaluations of the model), unless "
               "`output.metrics_interval` is given. `auto` aims at about 100 rows (stop.updates "
               "/ 100, or 100 when only stop.time is given).",
               "50", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind == YamlNode::Kind::kScalar && !n.quoted && n.scalar == "auto") return;
                 s.metrics_every = static_cast<std::uint64_t>(read_integer(n, c, 1, kMaxInt));
               }});
  add_sweep_keys(k);
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
