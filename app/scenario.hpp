#pragma once
// A scenario: the typed, validated form of a YAML scenario file.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/scenario_error.hpp"
#include "app/yaml_tree.hpp"
#include "models/partition.hpp"
#include "models/torchscript.hpp"
#include "models/update_rule.hpp"
#include "sim/cluster/latency.hpp"
#include "sim/learning/model_learner.hpp"
#include "sim/protocols/hogwild.hpp"

namespace sgdsim {

/// The family of the synchronisation strategy: updates in rounds (or clocks), or on arrival.
enum class ProtocolType { kSync, kAsync };

/// One link of a hand-written topology.
struct LinkSpec {
  std::string a, b;  ///< Node names: w<i>, ps<i> or sw<i>.
  LatencyDistribution latency;
  double bandwidth = 0.0;  ///< Bytes per second.
  Mark mark;
};

/// Hyperparameter-parallel runs: the scenario trained under several values of one key at once.
struct SweepSpec {
  /// What picks the best setting.
  enum class Pick { kTrainLoss, kTestLoss, kTestAccuracy, kTimeToTarget, kUpdatesPerSecond };
  std::string key;               ///< The key swept; empty: no sweep.
  std::vector<YamlNode> values;  ///< As written, with their positions.
  bool share_workers = true;     ///< The settings split cluster.workers between them.
  Pick pick = Pick::kTestLoss;
};

/// HOGWILD! (`algorithm.type: hogwild`): the backend and how the cores share the model.
struct HogwildSpec {
  /// Where the scenario runs: the discrete-event simulator, or real threads on this machine.
  enum class Backend { kSimulated, kThreads };
  Backend backend = Backend::kSimulated;
  HogwildVariant variant = HogwildVariant::kLockFree;
  WriteSemantics writes = WriteSemantics::kAtomicAdd;
  double read_cost = 0.0;    ///< Seconds per coordinate read (simulated).
  double write_cost = 0.0;   ///< Seconds per coordinate written (simulated).
  std::uint32_t batch = 0;   ///< conflict_free: terms per batch (0: 16 per core).
  bool instrument = true;    ///< threads: count conflicts, lost updates and staleness.
  bool pin_threads = false;  ///< threads: pin thread t to the t-th processor available.
  /// Linear models: renumber the features by descending frequency (models/feature_order.hpp).
  bool features_by_frequency = false;
};

/// `model.type: torchscript`: the user's module and how it meets the data, with where each key
/// was written, so that a module that does not fit points at the key to change.
struct TorchScriptKeys {
  std::string file;  ///< Resolved against the scenario's folder.
  Mark file_mark;
  std::optional<TorchLoss> loss;  ///< Unset: the module's own loss(x, y) if it has one.
  Mark loss_mark;
  std::vector<std::int64_t> input_shape;  ///< Empty: [features].
  Mark input_shape_mark;
};

/// Every setting of a run. Built only by load_scenario, so every field is valid.
struct Scenario {
  std::string file;  ///< The scenario file it was read from.
  std::string name;
  std::string description;
  std::uint64_t seed = 1;

  std::uint32_t workers = 4;
  std::uint32_t parameter_nodes = 1;
  std::uint32_t switches = 0;
  std::vector<std::pair<std::uint32_t, double>> failures;  ///< (worker, seconds), by worker.

  LatencyDistribution compute_time;
  std::uint32_t reference_batch = 1;
  std::vector<double> worker_factors;  ///< One per worker.

  LatencyDistribution latency;
  double bandwidth = 0.0;
  std::vector<LinkSpec> links;  ///< Empty: a star around the parameter nodes.
  std::uint64_t value_bytes = 4;
  std::uint64_t header_bytes = 0;

  ProtocolType protocol = ProtocolType::kSync;   ///< The family: rounds, or updates on arrival.
  std::string algorithm = "sync";                ///< As written: an `algorithm.type` choice.
  std::uint32_t k = 0;                           ///< The K of the K-variants (0: not given).
  std::optional<std::uint32_t> staleness_bound;  ///< ssp: the bound s.
  std::uint32_t backup_workers = 1;
  std::uint32_t local_steps = 10;  ///< local_sgd: steps between averagings.
  std::uint32_t push_every = 1;    ///< downpour: n_push.
  std::uint32_t fetch_every = 0;   ///< downpour: n_fetch (0 until resolved: n_push).
  double local_step_size = 0.0;    ///< downpour: the workers' own step between fetches.
  bool background_fetch = false;   ///< downpour: compute on while a fetch travels.
  /// Gradients in one update: what a round waits for, or k_async's k (resolved by the loader).
  std::uint32_t wait_for = 0;
  double round_timeout = 0.0;  ///< Seconds after which a round closes anyway; 0: never.
  HogwildSpec hogwild;
  std::uint32_t batch_size = 1;

  UpdateSettings update;                      ///< Update rule and step schedule (learning only).
  CompressionSettings compression;            ///< How pushes are compressed (learning only).
  std::uint64_t scaling_reference_batch = 0;  ///< The linear scaling rule's reference (0: off).

  std::string model_type = "none";  ///< A model.type choice.
  double l2 = 0.0;
  std::vector<std::size_t> hidden = {16};  ///< mlp: hidden layer sizes.
  std::size_t rank = 5;                    ///< matrix_factorisation: the factors' rank.
  std::uint64_t dimension = 1000;          ///< Parameters of a timing-only model.
  TorchScriptKeys torchscript;             ///< torchscript: the module.
  Mark model_type_mark;                    ///< Where model.type was set.

  /// regression, classification, rings, blobs, sparse, libsvm, fashion_mnist, spam_assassin or
  /// ratings.
  std::string data_source = "regression";
  std::size_t classes = 3;  ///< blobs.
  double spread = 3.0;      ///< blobs.
  std::uint64_t samples = 1000;
  std::uint64_t features = 10;
  double noise = 0.1;
  double margin = 0.0;
  double label_noise = 0.0;
  std::uint64_t nonzeros = 10;
  std::uint64_t users = 100, items = 100;  ///< ratings.
  std::size_t data_rank = 5;               ///< ratings: rank of the rated matrix.
  double skew = 0.0;
  std::string data_file;  ///< libsvm: the file, resolved against the scenario's folder.
  Mark data_file_mark;
  Mark data_source_mark;  ///< Where data.source was set: errors about missing data point there.
  /// fashion_mnist, spam_assassin: the cache folder, resolved against the scenario's folder;
  /// empty: $SGDSIM_DATA, or the first .cache/data at or above the scenario's folder.
  std::string data_folder;
  std::uint64_t hashed_features = 65536;  ///< spam_assassin: hashed word columns.
  std::uint64_t max_samples = 0;          ///< Read data: keep at most this many; 0: all.
  double test_fraction = 0.2;
  PartitionKind partition = PartitionKind::kShuffled;
  std::uint64_t eval_samples = 0;  ///< 0: the whole training set.

  std::uint64_t stop_updates = 0;  ///< 0: no limit.
  double stop_time = 0.0;          ///< Simulated seconds; 0: no limit.
  std::uint64_t stop_max_events = 0;
  std::optional<double> target_loss;

  bool trace = true;
  std::uint64_t trace_max_events = 1'000'000;
  bool updates_csv = true;
  std::uint64_t updates_max_rows = 1'000'000;  ///< Rows of updates.csv at most; 0: no cap.
  std::uint64_t metrics_every = 0;  ///< Model updates between metrics rows; 0 until resolved.
  double metrics_interval = 0.0;    ///< Simulated seconds between rows; 0: rows by update count.

  SweepSpec sweep;
  /// With a sweep: one scenario per value, in order, each on its share of the workers.
  std::vector<Scenario> settings;

  YamlNode resolved;  ///< Every key with the value in force, for scenario.resolved.yaml.

  /// True when the run goes in rounds (rounds.csv): synchronous strategies, conflict-free batches.
  bool has_rounds() const {
    return protocol == ProtocolType::kSync ||
           (algorithm == "hogwild" && hogwild.variant == HogwildVariant::kConflictFree);
  }

  /// True when a model is trained (not a timing-only run).
  bool learns() const { return model_type != "none"; }

  /// Bytes of shard s's slice of a `dimension`-parameter model on the wire (header included).
  std::uint64_t shard_bytes(std::uint32_t shard, std::uint64_t dimension) const;
};

/// A `--set key.path=value` override from the command line.
struct Override {
  std::string text;  ///< As typed, for messages.
};

/// Reads, validates and resolves a scenario. Throws ScenarioError (with position) for a bad
/// scenario or override, and FileNotFound when the file cannot be read.
Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides = {});

/// Same, from text already in memory; `file` names it in messages and anchors relative paths.
Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<Override>& overrides = {});

/// The scenario file (or a file it names) does not exist or cannot be read.
class FileNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sgdsim
