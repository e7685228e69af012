// The keys of the algorithm, model and data sections: what is trained, on what, and how.

#include <filesystem>
#include <limits>

#include "app/key_builders.hpp"
#include "app/strategies.hpp"
#include "app/yaml_values.hpp"

namespace sgdsim {
namespace {

constexpr double kNoMax = std::numeric_limits<double>::max();

void add_algorithm_keys(std::vector<KeyDecl>& k) {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> names;
    for (const Strategy& s : strategies()) names.emplace_back(s.name);
    return names;
  }();
  k.push_back(choice_key("algorithm.type", strategies_help(), types, "sync",
                         [](Scenario& s, std::size_t i) {
                           s.algorithm = types[i];
                           s.protocol = strategies()[i].family;
                         }));
  k.push_back(integer_key(
      "algorithm.k",
      "`k_sync`, `k_batch_sync`: the gradients a round waits for; `k_async`, `k_batch_async`: "
      "the gradients in each update (1 to workers).",
      "", 1, 1'000'000, "6",
      [](Scenario& s, std::int64_t v) { s.k = static_cast<std::uint32_t>(v); }));
  k.push_back(integer_key("algorithm.staleness_bound",
                          "`ssp`: how many clocks the fastest worker may be ahead of the slowest "
                          "(0: bulk-synchronous).",
                          "", 0, 1'000'000, "3", [](Scenario& s, std::int64_t v) {
                            s.staleness_bound = static_cast<std::uint32_t>(v);
                          }));
  k.push_back(integer_key("algorithm.push_every",
                          "`downpour`: n_push, the steps (batches) between pushes; a push carries "
                          "the sum of their gradients.",
                          "1", 1, 1'000'000, "5", [](Scenario& s, std::int64_t v) {
                            s.push_every = static_cast<std::uint32_t>(v);
                          }));
  k.push_back(integer_key("algorithm.fetch_every",
                          "`downpour`: n_fetch, the steps between fetches of the model (unset: "
                          "n_push).",
                          "", 1, 1'000'000, "10", [](Scenario& s, std::int64_t v) {
                            s.fetch_every = static_cast<std::uint32_t>(v);
                          }));
  k.push_back(real_key("algorithm.local_step_size",
                       "`downpour`: the step of a worker's own SGD on its copy of the model "
                       "between fetches; 0: the copy stays as fetched.",
                       "0", 0.0, kNoMax, "0.01",
                       [](Scenario& s, double v) { s.local_step_size = v; }));
  k.push_back(boolean_key("algorithm.background_fetch",
                          "`downpour`: a worker computes on while a fetch travels, taking the "
                          "model in when it lands (Dean et al.'s pseudo-code), instead of waiting "
                          "for it.",
                          "false", [](Scenario& s, bool v) { s.background_fetch = v; }));
  k.push_back({"algorithm.round_timeout", "duration", "", false, "> 0",
               "Rounds (sync, k_sync, backup, ...): a round that has not closed this long after "
               "its model was sent closes with the gradients it has. Unset: a round waits as long "
               "as it takes, for ever if a worker has failed.",
               "50ms", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 s.round_timeout = read_duration(n, c, true);
               }});
  k.push_back(integer_key(
      "algorithm.local_steps", "`local_sgd`: local steps (batches) per worker between averagings.",
      "10", 1, 100'000'000, "50",
      [](Scenario& s, std::int64_t v) { s.local_steps = static_cast<std::uint32_t>(v); }));
  k.push_back(integer_key(
      "algorithm.backup_workers",
      "`backup`: how many of the workers are backups (fewer than workers).", "1", 0, 1'000'000, "2",
      [](Scenario& s, std::int64_t v) { s.backup_workers = static_cast<std::uint32_t>(v); }));
  k.push_back(integer_key(
      "algorithm.batch_size",
      "Samples per worker per task; a worker's gradient is the mean over its batch.", "1", 1,
      1'000'000'000, "32",
      [](Scenario& s, std::int64_t v) { s.batch_size = static_cast<std::uint32_t>(v); }));
  k.push_back(choice_key("algorithm.update",
                         "How a parameter node applies a gradient g: `sgd` w -= eta g; "
                         "`momentum` v = mu v + g, w -= eta v; `adagrad` per coordinate, "
                         "eta g / sqrt(sum of g^2); `adam` Kingma and Ba's rule. Each parameter "
                         "node keeps the rule's state for its own slice.",
                         {"sgd", "momentum", "adagrad", "adam"}, "sgd",
                         [](Scenario& s, std::size_t i) { s.update.kind = UpdateKind(i); }));
  k.push_back(real_key("algorithm.step_size", "The step size eta (at update 0, with a schedule).",
                       "0.01", 1e-12, kNoMax, "0.05",
                       [](Scenario& s, double v) { s.update.step.eta0 = v; }));
  k.push_back(
      choice_key("algorithm.schedule",
                 "How the step size changes with the number of updates t: `constant`; "
                 "`step_decay` eta * decay_factor^floor(t / decay_every); "
                 "`inverse_time` eta / (1 + t / decay_t0).",
                 {"constant", "step_decay", "inverse_time"}, "constant",
                 [](Scenario& s, std::size_t i) { s.update.step.kind = StepSchedule::Kind(i); }));
  k.push_back(integer_key("algorithm.warmup",
                          "Updates over which the step rises linearly from step/warmup to the "
                          "full step (Goyal et al. 2017); 0: no warm-up.",
                          "0", 0, kMaxInt, "100", [](Scenario& s, std::int64_t v) {
                            s.update.step.warmup = static_cast<std::uint64_t>(v);
                          }));
  k.push_back(integer_key(
      "algorithm.scaling_reference_batch",
      "The linear scaling rule for large batches: when set, the step used is step_size x "
      "(the samples in one update) / this reference batch, the samples in one update being "
      "batch_size times the gradients a round waits for (synchronous) or batch_size "
      "(asynchronous). 0: the step is step_size as written.",
      "0", 0, kMaxInt, "256", [](Scenario& s, std::int64_t v) {
        s.scaling_reference_batch = static_cast<std::uint64_t>(v);
      }));
  k.push_back(real_key("algorithm.decay_factor", "`step_decay`: the multiplier at each decay.",
                       "0.5", 1e-9, 1.0, "0.1",
                       [](Scenario& s, double v) { s.update.step.factor = v; }));
  k.push_back(integer_key(
      "algorithm.decay_every", "`step_decay`: updates between decays.", "1000", 1, kMaxInt, "500",
      [](Scenario& s, std::int64_t v) { s.update.step.every = static_cast<std::uint64_t>(v); }));
  k.push_back(real_key("algorithm.decay_t0",
                       "`inverse_time`: the number of updates after which the step has halved.",
                       "1000", 1e-9, kNoMax, "200",
                       [](Scenario& s, double v) { s.update.step.t0 = v; }));
  k.push_back(real_key("algorithm.momentum", "`momentum`: the factor mu.", "0.9", 0.0, 0.999999,
                       "0.5", [](Scenario& s, double v) { s.update.momentum = v; }));
  k.push_back(real_key("algorithm.beta1", "`adam`: decay of the first moment.", "0.9", 0.0,
                       0.999999, "0.8", [](Scenario& s, double v) { s.update.beta1 = v; }));
  k.push_back(real_key("algorithm.beta2", "`adam`: decay of the second moment.", "0.999", 0.0,
                       0.999999, "0.99", [](Scenario& s, double v) { s.update.beta2 = v; }));
  k.push_back(real_key("algorithm.epsilon", "`adagrad`, `adam`: added to the denominator.", "1e-8",
                       0.0, 1.0, "1e-6", [](Scenario& s, double v) { s.update.epsilon = v; }));
  k.push_back(choice_key("algorithm.compression",
                         "How workers compress gradients before pushing them: `none`; `qsgd` "
                         "(stochastic quantisation to `qsgd_levels` levels, unbiased; the push "
                         "carries its exact encoding: norm, signs, levels, gaps); `topk` (the "
                         "`topk` largest coordinates per parameter node, with error feedback: "
                         "what is not sent is added to the next gradient). Needs a model.",
                         {"none", "qsgd", "topk"}, "none", [](Scenario& s, std::size_t i) {
                           s.compression.kind = CompressionSettings::Kind(i);
                         }));
  k.push_back(integer_key(
      "algorithm.qsgd_levels", "`qsgd`: the number of levels s.", "4", 1, 1'000'000, "16",
      [](Scenario& s, std::int64_t v) { s.compression.levels = static_cast<std::uint32_t>(v); }));
  k.push_back(integer_key(
      "algorithm.topk", "`topk`: coordinates kept per push to each parameter node.", "10", 1,
      kMaxInt, "100",
      [](Scenario& s, std::int64_t v) { s.compression.k = static_cast<std::size_t>(v); }));
}

void add_model_keys(std::vector<KeyDecl>& k) {
  static const std::vector<std::string> types = {
      "none",    "least_squares", "logistic",    "svm",
      "softmax", "mlp",           "torchscript", "matrix_factorisation"};
  k.push_back(choice_key("model.type",
                         "What is trained. `none` simulates timing only: messages carry "
                         "`model.dimension` parameters but nothing is computed. "
                         "`least_squares`, `logistic` (labels -1/+1) and `svm` (hinge loss, "
                         "labels -1/+1) are linear models with one parameter per feature; "
                         "`softmax` is multi-class logistic regression (one weight row per "
                         "class); `mlp` is a small neural network (`model.hidden`) with a "
                         "softmax output, so that non-convex training can be shown. Multi-class "
                         "models take labels 0, 1, ... (and -1/+1 as classes 0 and 1). "
                         "`matrix_factorisation` (algorithm.type hogwild, data.source ratings) "
                         "fits ratings with two factors of rank `model.rank`. `torchscript` "
                         "is your own PyTorch model, saved with torch.jit.save (`model.file`; "
                         "docs/pytorch.md).",
                         types, "none",
                         [](Scenario& s, std::size_t i) { s.model_type = types[i]; }));
  k.back() =
      remembering_mark(std::move(k.back()), [](Scenario& s) -> Mark& { return s.model_type_mark; });
  k.push_back(
      {"model.file", "file name", "", false, "a TorchScript file",
       "`torchscript`: the module, saved by `torch.jit.script(model).save(path)`, "
       "relative to the scenario's folder. Its parameters, as saved, are version 0.",
       "lenet.pt", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
         s.torchscript.file =
             (std::filesystem::path(c.base_dir) / scalar_text(n, c, "a file name")).string();
         s.torchscript.file_mark = n.mark;
       }});
  static const std::vector<std::string> losses = {"cross_entropy", "mse", "module"};
  k.push_back(choice_key("model.loss",
                         "`torchscript`: `cross_entropy` (the output is [batch, classes] "
                         "logits, PyTorch's CrossEntropyLoss), `mse` (one output per sample, "
                         "PyTorch's MSELoss), or `module`: the module's own method "
                         "loss(x, y), returning the batch's mean loss. Unset: `module` when the "
                         "module has such a method, otherwise `cross_entropy`.",
                         losses, "",
                         [](Scenario& s, std::size_t i) { s.torchscript.loss = TorchLoss(i); }));
  k.back() = remembering_mark(std::move(k.back()),
                              [](Scenario& s) -> Mark& { return s.torchscript.loss_mark; });
  k.push_back({"model.input_shape", "list of integers", "", false, "sizes >= 1",
               "`torchscript`: the shape of one sample as the module takes it, such as "
               "[1, 28, 28] for a greyscale image; a batch is [batch, shape...]. The sizes "
               "multiply to the data's features. Unset: [features].",
               "[1, 28, 28]", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind != YamlNode::Kind::kSequence || n.items.empty() || n.items.size() > 8)
                   c.fail(n, "expected one to eight sizes, such as [1, 28, 28]");
                 s.torchscript.input_shape.clear();
                 for (const YamlNode& item : n.items)
                   s.torchscript.input_shape.push_back(read_integer(item, c, 1, 1 << 30));
                 s.torchscript.input_shape_mark = n.mark;
               }});
  k.push_back(real_key("model.l2",
                       "Weight lambda of the L2 term (lambda / 2) |w|^2 of each sample's loss.",
                       "0", 0.0, kNoMax, "0.001", [](Scenario& s, double v) { s.l2 = v; }));
  k.push_back({"model.hidden", "list of integers", "[16]", false, "one or two sizes, 1 to 100000",
               "`mlp`: the sizes of its one or two tanh hidden layers.", "[32, 16]",
               [](const YamlNode& n, Scenario& s, const LoadContext& c) {
                 if (n.kind != YamlNode::Kind::kSequence || n.items.empty() || n.items.size() > 2)
                   c.fail(n, "expected one or two layer sizes, such as [32] or [32, 16]");
                 s.hidden.clear();
                 for (const YamlNode& item : n.items)
                   s.hidden.push_back(static_cast<std::size_t>(read_integer(item, c, 1, 100'000)));
               }});
  k.push_back(integer_key("model.dimension",
                          "Number of model parameters of a timing-only run (`model.type: none`); "
                          "with `network.value_bytes` it sets the size of every pull and push. A "
                          "trained model has one parameter per feature of its data instead.",
                          "1000", 1, 1'000'000'000'000, "1000000", [](Scenario& s, std::int64_t v) {
                            s.dimension = static_cast<std::uint64_t>(v);
                          }));
}

void add_data_keys(std::vector<KeyDecl>& k) {
  static const std::vector<std::string> sources = {"regression",    "classification", "rings",
                                                   "blobs",         "sparse",         "libsvm",
                                                   "fashion_mnist", "spam_assassin",  "ratings"};
  KeyDecl source = choice_key(
      "data.source",
      "Where the data come from: `regression` (x ~ N(0, I), y = x . w* + noise), "
      "`classification` (two classes split by a random hyperplane), `rings` (two classes split "
      "by a circle in the first two features: no hyperplane separates them), `blobs` "
      "(`data.classes` Gaussian clusters), `sparse` (two classes, `data.nonzeros` features per "
      "sample with a Zipf skew), `ratings` (`data.samples` ratings of `data.items` items by "
      "`data.users` users from a matrix of rank `data.rank`, plus `data.noise`: for "
      "`matrix_factorisation`), `libsvm` (the file `data.file`), or a real dataset from the "
      "cache folder `data.folder` that `make data` fills: `fashion_mnist` (70,000 greyscale "
      "images of 28 x 28 pixels in [0, 1], ten classes of clothing; its own split of 60,000 "
      "training and 10,000 test images is kept) or `spam_assassin` (the SpamAssassin public "
      "corpus: 6,046 emails, spam +1 and ham -1, as `data.hashed_features` hashed word columns "
      "of log(1 + count), each row of unit norm; see models/email_corpus.hpp). "
      "Generated data are drawn from the stream (seed, 0, \"data\").",
      sources, "regression", [](Scenario& s, std::size_t i) { s.data_source = sources[i]; });
  source.bind = [set = source.bind](const YamlNode& n, Scenario& s, const LoadContext& c) {
    set(n, s, c);
    s.data_source_mark = n.mark;
  };
  k.push_back(std::move(source));
  k.push_back(integer_key(
      "data.samples", "Generated data: the number of samples.", "1000", 2, 100'000'000, "5000",
      [](Scenario& s, std::int64_t v) { s.samples = static_cast<std::uint64_t>(v); }));
  k.push_back(integer_key(
      "data.features", "Generated data: the number of features.", "10", 1, 100'000'000, "100",
      [](Scenario& s, std::int64_t v) { s.features = static_cast<std::uint64_t>(v); }));
  k.push_back(real_key("data.noise", "`regression`: standard deviation of the label noise.", "0.1",
                       0.0, kNoMax, "0.5", [](Scenario& s, double v) { s.noise = v; }));
  k.push_back(real_key("data.margin",
                       "`classification`: samples closer than this to the hyperplane are redrawn.",
                       "0", 0.0, 10.0, "0.2", [](Scenario& s, double v) { s.margin = v; }));
  k.push_back(
      integer_key("data.classes", "`blobs`: the number of classes.", "3", 2, 1000, "5",
                  [](Scenario& s, std::int64_t v) { s.classes = static_cast<std::size_t>(v); }));
  k.push_back(real_key("data.spread", "`blobs`: standard deviation of the cluster centres.", "3",
                       0.0, 1000.0, "1.5", [](Scenario& s, double v) { s.spread = v; }));
  k.push_back(real_key("data.label_noise",
                       "`classification`, `rings`, `sparse`: probability that a label is flipped.",
                       "0", 0.0, 0.5, "0.05", [](Scenario& s, double v) { s.label_noise = v; }));
  k.push_back(integer_key(
      "data.nonzeros", "`sparse`: non-zero features per sample.", "10", 1, 1'000'000, "20",
      [](Scenario& s, std::int64_t v) { s.nonzeros = static_cast<std::uint64_t>(v); }));
  k.push_back(real_key("data.skew",
                       "`sparse`: feature j is drawn with probability proportional to "
                       "1 / (j + 1)^skew; 0 is uniform, larger values make a few features common.",
                       "0", 0.0, 10.0, "1.2", [](Scenario& s, double v) { s.skew = v; }));
  k.push_back(
      {"data.file", "file name", "", false, "a LIBSVM text file",
       "`libsvm`: the file to read, relative to the scenario's folder.", "rcv1.svm",
       [](const YamlNode& n, Scenario& s, const LoadContext& c) {
         s.data_file =
             (std::filesystem::path(c.base_dir) / scalar_text(n, c, "a file name")).string();
         s.data_file_mark = n.mark;
       }});
  k.push_back(
      {"data.folder", "folder name", "", false, "a folder",
       "`fashion_mnist`, `spam_assassin`: the cache folder holding `fashion-mnist/` and "
       "`spam-assassin/` as scripts/fetch-data.sh (`make data`) lays them out, relative to the "
       "scenario's folder. Unset: $SGDSIM_DATA when set, otherwise the first `.cache/data` in "
       "the scenario's folder or one above it (for the shipped scenarios, the repository's, where "
       "`make data` puts it), otherwise `.cache/data` in the current directory.",
       "/var/cache/sgdsim", [](const YamlNode& n, Scenario& s, const LoadContext& c) {
         s.data_folder =
             (std::filesystem::path(c.base_dir) / scalar_text(n, c, "a folder name")).string();
       }});
  k.push_back(integer_key("data.hashed_features",
                          "`spam_assassin`: the number of columns words are hashed into "
                          "(FNV-1a); more columns, fewer words sharing one, a larger model.",
                          "65536", 1, 1 << 28, "262144", [](Scenario& s, std::int64_t v) {
                            s.hashed_features = static_cast<std::uint64_t>(v);
                          }));
  k.push_back(integer_key(
      "data.max_samples",
      "Data read from files (`libsvm`, `fashion_mnist`, `spam_assassin`): keep at most this "
      "many samples, a random subset drawn from the stream (seed, 0, \"subsample\") kept in "
      "file order; `fashion_mnist` keeps its training and test images in the proportion 6 : 1. "
      "0 keeps them all.",
      "0", 0, kMaxInt, "7000",
      [](Scenario& s, std::int64_t v) { s.max_samples = static_cast<std::uint64_t>(v); }));
  k.push_back(real_key("data.test_fraction",
                       "The fraction of samples held out as the test split (drawn from the "
                       "stream (seed, 0, \"split\")). `fashion_mnist` keeps its own split "
                       "instead.",
                       "0.2", 0.0, 0.9, "0.25",
                       [](Scenario& s, double v) { s.test_fraction = v; }));
  static const std::vector<std::string> partitions = {"contiguous", "shuffled", "replicated"};
  k.push_back(choice_key("data.partition",
                         "How training samples are dealt to workers: consecutive blocks, "
                         "shuffled blocks, or every worker sees all of them.",
                         partitions, "shuffled",
                         [](Scenario& s, std::size_t i) { s.partition = PartitionKind(i); }));
  k.push_back(integer_key("data.eval_samples",
                          "Training samples the training loss is evaluated on (a fixed random "
                          "subsample); 0 means all of them.",
                          "0", 0, kMaxInt, "1000", [](Scenario& s, std::int64_t v) {
                            s.eval_samples = static_cast<std::uint64_t>(v);
                          }));
}

}  // namespace

void add_learning_keys(std::vector<KeyDecl>& keys) {
  add_algorithm_keys(keys);
  add_model_keys(keys);
  add_data_keys(keys);
}

}  // namespace sgdsim
