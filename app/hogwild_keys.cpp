// The keys of HOGWILD! (`algorithm.type: hogwild`): the backend, how cores share the model, the
// memory model of the simulator, and the matrix factorisation that HOGWILD! made famous.

#include "app/key_builders.hpp"
#include "app/yaml_values.hpp"

namespace sgdsim {

void add_hogwild_keys(std::vector<KeyDecl>& k) {
  static const std::vector<std::string> backends = {"simulated", "threads"};
  k.push_back(choice_key(
      "backend",
      "Where the scenario runs. `simulated`: in the discrete-event simulator. `threads` "
      "(algorithm.type hogwild only): for real, with `cluster.workers` threads updating one "
      "shared model on this machine; times in its outputs are wall-clock seconds.",
      backends, "simulated",
      [](Scenario& s, std::size_t i) { s.hogwild.backend = HogwildSpec::Backend(i); }));

  static const std::vector<std::string> variants = {"lock_free", "locked", "conflict_free"};
  k.push_back(choice_key(
      "hogwild.variant",
      "How the cores (`cluster.workers`) share the model. `lock_free`: HOGWILD!, each core "
      "writes its term's coordinates without any lock. `locked`: one lock around the model, "
      "held from a core's read to its write, so updates happen one at a time. `conflict_free` "
      "(CYCLADES, Pan et al. 2016): batches of `hogwild.batch` terms are split into groups "
      "that share no coordinate and the groups dealt to the cores; cores meet at the end of "
      "each batch. Simulated backend only, except `lock_free`.",
      variants, "lock_free",
      [](Scenario& s, std::size_t i) { s.hogwild.variant = HogwildVariant(i); }));
  static const std::vector<std::string> writes = {"atomic_add", "racy"};
  k.push_back(choice_key(
      "hogwild.writes",
      "How a core writes a coordinate. `atomic_add`: x_v += -step g_v, component-wise atomic, "
      "so no update is ever lost. `racy`: x_v = x_v(as read) - step g_v, a plain "
      "read-modify-write: whatever another core wrote to x_v since the read is overwritten "
      "and counted as lost.",
      writes, "atomic_add",
      [](Scenario& s, std::size_t i) { s.hogwild.writes = WriteSemantics(i); }));
  k.push_back({"hogwild.read_cost", "duration", "0s", false, ">= 0",
               "Simulated: the time to read one coordinate of the shared model. A core's update "
               "takes read_cost x |e| + a draw of compute.time + write_cost x |e|.",
               "5ns", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.hogwild.read_cost = read_duration(n, c);
               }});
  k.push_back({"hogwild.write_cost", "duration", "0s", false, ">= 0",
               "Simulated: the time to write one coordinate of the shared model.", "10ns",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.hogwild.write_cost = read_duration(n, c);
               }});
  k.push_back({"hogwild.batch", "integer or auto", "auto", false, "1 or more, or auto",
               "`conflict_free`: terms per batch. `auto`: 16 per core.", "256",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind == YamlNode::Kind::kScalar && !n.quoted && n.scalar == "auto") return;
                 s.hogwild.batch = static_cast<std::uint32_t>(read_integer(n, c, 1, 1'000'000'000));
               }});
  k.push_back(boolean_key(
      "hogwild.instrument",
      "Threads: count conflicts, lost updates and staleness with per-coordinate counters "
      "(relaxed atomics; they add memory traffic, so turn them off to measure speed).",
      "true", [](Scenario& s, bool v) { s.hogwild.instrument = v; }));
  static const std::vector<std::string> orders = {"as_read", "by_frequency"};
  k.push_back(choice_key(
      "hogwild.feature_order",
      "Linear models: how the features are numbered, so where their coordinates lie in the "
      "model. `as_read`: as the data give them (hashed words land anywhere). `by_frequency`: "
      "the features most training samples have first, so that they share a few cache lines. "
      "The same problem up to a permutation of the coordinates (coordinates.csv is in the new "
      "numbering). On one thread, updates read fewer lines and go faster (7 to 8% on the "
      "SpamAssassin emails); with two threads that both write the common features it does not "
      "help (BENCHMARKS.md).",
      orders, "as_read",
      [](Scenario& s, std::size_t i) { s.hogwild.features_by_frequency = i == 1; }));
  k.push_back(boolean_key(
      "hogwild.pin_threads",
      "Threads: pin thread t to the t-th processor this process may use (round robin), so the "
      "kernel never swaps two threads and their caches between cores mid-run: faster when the "
      "threads share little of the model (2.44x one thread against 1.61x floating, on rows "
      "that share no coordinate), slower when they share much (0.52x against 0.60x on the "
      "SpamAssassin emails). Two pinned runs at once share their processors.",
      "false", [](Scenario& s, bool v) { s.hogwild.pin_threads = v; }));

  k.push_back(integer_key(
      "model.rank", "`matrix_factorisation`: the rank of the factors L (users x rank) and R.", "5",
      1, 10'000, "10", [](Scenario& s, std::int64_t v) { s.rank = static_cast<std::size_t>(v); }));
  k.push_back(integer_key(
      "data.users", "`ratings`: users (rows of the rated matrix).", "100", 1, 100'000'000, "500",
      [](Scenario& s, std::int64_t v) { s.users = static_cast<std::uint64_t>(v); }));
  k.push_back(integer_key(
      "data.items", "`ratings`: items (columns of the rated matrix).", "100", 1, 100'000'000, "400",
      [](Scenario& s, std::int64_t v) { s.items = static_cast<std::uint64_t>(v); }));
  k.push_back(integer_key(
      "data.rank", "`ratings`: the rank of the matrix the ratings are drawn from.", "5", 1, 10'000,
      "3", [](Scenario& s, std::int64_t v) { s.data_rank = static_cast<std::size_t>(v); }));
}

}  // namespace sgdsim
