// TorchScript models (models/torchscript.hpp): PyTorch's own gradients, exact stale reads, the
// same bits on any number of threads with dropout, and every bad module refused at the key at
// fault. The modules and PyTorch's reference figures come from tests/torch/make_modules.py.

#include <catch2/catch.hpp>

#include "app/learning_problem.hpp"
#include "checking_learner.hpp"
#include "models/torchscript.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

const std::filesystem::path kModules = SGDSIM_TORCH_MODULES;

nlohmann::json reference() {
  return nlohmann::json::parse(read_text(kModules / "reference.json"));
}

/// The six samples the reference figures were computed on, labelled by class or by value.
Dataset reference_batch(const nlohmann::json& r, bool classes) {
  DenseRows x(6, 4);
  Vector y(6);
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 4; ++j) x(i, j) = r["inputs"][i][j].get<double>();
    y[i] = r[classes ? "classes" : "values"][i].get<double>();
  }
  return Dataset::dense(std::move(x), std::move(y));
}

/// A small run of `module` (in the test modules' folder) on four-feature, three-class blobs, with
/// `nodes` parameter nodes.
std::string scenario(const std::string& module, const std::string& algorithm, int workers,
                     int nodes = 1) {
  return "name: torch\nseed: 5\ncluster: {workers: " + std::to_string(workers) +
         ", parameter_nodes: " + std::to_string(nodes) +
         "}\ncompute: {time: {dist: straggler, base: {dist: exponential, mean: 1ms}, p: 0.2, "
         "factor: 6}}\nnetwork: {latency: {dist: exponential, mean: 200us}}\nalgorithm: " +
         algorithm + "\nmodel: {type: torchscript, file: " + (kModules / module).string() +
         "}\ndata: {source: blobs, samples: 120, features: 4, classes: 3}\nstop: {updates: 40}\n"
         "output: {metrics_every: 10}\n";
}

}  // namespace

TEST_CASE("a TorchScript model's loss and gradient are PyTorch's own on the same batch") {
  const nlohmann::json r = reference();
  struct Case {
    const char* module;
    std::optional<TorchLoss> loss;
    bool classes;
    std::vector<std::int64_t> shape;
  };
  for (const Case& c :
       {Case{"mlp", TorchLoss::kCrossEntropy, true, {}},
        Case{"mlp64", TorchLoss::kCrossEntropy, true, {}},
        Case{"regression", TorchLoss::kMse, false, {}}, Case{"own_loss", std::nullopt, true, {}},
        Case{"image", TorchLoss::kCrossEntropy, true, {1, 2, 2}}}) {
    INFO(c.module);
    const Dataset data = reference_batch(r, c.classes);
    TorchScriptSpec spec;
    spec.file = (kModules / (std::string(c.module) + ".pt")).string();
    spec.loss = c.loss;
    spec.input_shape = c.shape;
    spec.classes = 3;
    spec.class_labels = c.classes;
    const auto f = load_torchscript(spec, data);
    CHECK_FALSE(f->is_random());
    const Vector w = f->initial(4, {});
    const std::vector<double> expected = r[c.module]["gradient"];
    REQUIRE(static_cast<std::size_t>(w.size()) == expected.size());
    const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5};
    Vector g(w.size());
    f->batch_gradient(data, rows, w, g);
    for (std::size_t k = 0; k < expected.size(); ++k)
      CHECK(g[static_cast<Eigen::Index>(k)] == Approx(expected[k]).margin(1e-6).epsilon(1e-5));
    CHECK(6.0 * f->mean_loss(data, w) == Approx(r[c.module]["loss"].get<double>()).epsilon(1e-6));
  }
}

TEST_CASE("a dropout model's gradient depends on its seed alone") {
  const Dataset data = reference_batch(reference(), true);
  TorchScriptSpec spec;
  spec.file = (kModules / "dropout.pt").string();
  spec.classes = 3;
  const auto f = load_torchscript(spec, data);
  CHECK(f->is_random());
  const Vector w = f->initial(4, {});
  const std::vector<std::size_t> rows = {0, 1, 2, 3, 4, 5};
  Vector a(w.size()), b(w.size()), c(w.size());
  f->batch_gradient(data, rows, w, a, 11);
  f->batch_gradient(data, rows, w, c, 12);
  f->batch_gradient(data, rows, w, b, 11);
  CHECK(a == b);
  CHECK(a != c);
  // Without dropout the loss is deterministic: evaluation runs in eval mode.
  CHECK(f->mean_loss(data, w) == f->mean_loss(data, w));
}

TEST_CASE("one asynchronous worker on a TorchScript model is a plain SGD loop, bit for bit") {
  TempDir dir;
  const std::string yaml = scenario("mlp.pt", "{type: async, batch_size: 4, step_size: 0.1}", 1);
  const auto [check, run] = run_checked(dir, yaml, "one");
  const Scenario s = load_scenario_text(yaml, (dir / "one.yaml").string());
  const LearningProblem p = build_learning_problem(s);
  const std::vector<std::size_t>& part = p.setup.partitions[0];
  RandomStream samples(s.seed, 0, "samples");
  UpdateState rule(p.setup.update, static_cast<std::size_t>(p.setup.initial.size()));
  Vector w = p.setup.initial, g(w.size());
  std::vector<std::size_t> rows(4);
  for (std::uint64_t t = 0; t < s.stop_updates; ++t) {
    for (std::size_t& r : rows) r = part[samples.uniform_below(part.size())];
    p.objective->batch_gradient(*p.train, rows, w, g);
    g /= 4.0;
    rule.apply(w, g);
  }
  CHECK(std::vector<double>(w.data(), w.data() + w.size()) == check->parameters());
}

TEST_CASE("asynchronous workers compute every TorchScript gradient on the version they read") {
  TempDir dir;
  int runs = 0;
  // Sharded across two parameter nodes, and compressed, as the built-in models are.
  for (const char* algorithm :
       {"{type: async, batch_size: 4}", "{type: ssp, staleness_bound: 2}",
        "{type: backup, backup_workers: 1}", "{type: async, compression: topk, topk: 5}",
        "{type: k_sync, k: 2, compression: qsgd}"}) {
    INFO(algorithm);
    const std::string name = "r" + std::to_string(runs++);
    const auto [check, run] = run_checked(dir, scenario("dropout.pt", algorithm, 3, 2), name, 2);
    REQUIRE(check->applied() > 0);
    const std::vector<std::string> faults = check->verify(run / "updates.csv");
    for (const std::string& f : faults) UNSCOPED_INFO(f);
    CHECK(faults.empty());
  }
}

TEST_CASE("a dropout model's run is the same bits on 1, 2 and 3 threads and when run again") {
  TempDir dir;
  for (const auto& [tag, algorithm] : std::vector<std::pair<std::string, std::string>>{
           {"async", "{type: async, batch_size: 4}"}, {"sync", "{type: sync, batch_size: 2}"}}) {
    INFO(algorithm);
    const std::string yaml = scenario("dropout.pt", algorithm, 4);
    const auto first = run_yaml(dir, yaml, tag + "1", {}, 1);
    CHECK(differing_outputs(first, run_yaml(dir, yaml, tag + "again", {}, 1)).empty());
    for (const std::uint32_t threads : {2u, 3u}) {
      INFO(threads << " threads");
      CHECK(
          differing_outputs(first, run_yaml(dir, yaml, tag + std::to_string(threads), {}, threads))
              .empty());
    }
  }
}

TEST_CASE("a TorchScript model that does not fit is refused at the key at fault, leaving nothing") {
  struct Bad {
    std::string model;  ///< The model map's entries after `type: torchscript, `.
    std::string at;     ///< The value the message must point at.
    std::string says;   ///< A part of the message.
    int code;
    std::string data = "{source: blobs, samples: 40, features: 4, classes: 3}";
  };
  const std::string m = kModules.string() + "/";
  const std::vector<Bad> cases = {
      {"file: " + m + "nope.pt", m + "nope.pt", "no such file", 66},
      {"file: corrupt.pt", "corrupt.pt", "is not a TorchScript module saved by torch.jit.save", 65},
      {"file: " + m + "state_dict.pt", m + "state_dict.pt",
       "is not a TorchScript module saved by torch.jit.save", 65},
      {"file: " + m + "batchnorm.pt", m + "batchnorm.pt", "keeps state outside its parameters", 65},
      {"file: " + m + "mlp.pt, loss: module", "module", "has no method loss(x, y)", 65},
      {"file: " + m + "mlp.pt, loss: mse", "mse", "mse needs one output per sample", 65},
      {"file: " + m + "mlp.pt, input_shape: [2, 3]", "[2, 3]",
       "holds 6 values per sample, but the data have 4 features", 65},
      {"file: " + m + "mlp.pt, input_shape: [1, 2, 2]", "[1, 2, 2]",
       "cannot take a batch of shape [2, 1, 2, 2]", 65},
      {"file: " + m + "mlp.pt", m + "mlp.pt", "at least the data's 5 classes", 65,
       "{source: blobs, samples: 40, features: 4, classes: 5}"},
      {"file: " + m + "regression.pt, loss: cross_entropy", "cross_entropy", "use mse", 65,
       "{source: regression, samples: 40, features: 4}"},
  };
  for (const Bad& c : cases) {
    DYNAMIC_SECTION(c.says) {
      TempDir dir;
      write_text(dir / "corrupt.pt", "PK this is not a zip archive");
      const std::string model_line = "model: {type: torchscript, " + c.model + "}";
      write_text(dir / "bad.yaml", "name: bad\ncluster: {workers: 2}\ncompute: {time: 1ms}\n" +
                                       model_line + "\ndata: " + c.data + "\nstop: {updates: 5}\n");
      const CliResult r =
          run_cli({"run", (dir / "bad.yaml").string(), "--out", (dir / "out").string()});
      INFO(r.err);
      CHECK(r.code == c.code);
      const std::string position =
          "bad.yaml:4:" + std::to_string(model_line.rfind(c.at) + 1) + ": ";
      CHECK(r.err.find(position) != std::string::npos);
      CHECK(r.err.find(c.says) != std::string::npos);
      CHECK(r.err.find("internal error") == std::string::npos);
      CHECK_FALSE(std::filesystem::exists(dir / "out"));
    }
  }
}

TEST_CASE("a TorchScript model that fails during a run stops it with a message, leaving nothing") {
  TempDir dir;
  write_text(dir / "s.yaml", scenario("fails_later.pt", "{type: async, batch_size: 4}", 2));
  const CliResult r = run_cli({"run", (dir / "s.yaml").string(), "--out", (dir / "out").string()});
  CHECK(r.code == 65);
  CHECK(r.err.find("the TorchScript model failed in ") != std::string::npos);
  CHECK(r.err.find("this module takes two samples at a time") != std::string::npos);
  CHECK(r.err.find("internal error") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_CASE("sgdsim calibrate times a TorchScript model's batch gradients on this machine") {
  TempDir dir;
  write_text(dir / "s.yaml", scenario("mlp.pt", "{type: async, batch_size: 8}", 2));
  const CliResult r = run_cli({"calibrate", (dir / "s.yaml").string(), "--out",
                               (dir / "times.txt").string(), "--tasks", "30"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("the gradient of a batch of 8 for torchscript") != std::string::npos);
  const auto times = read_text(dir / "times.txt");
  CHECK(std::count(times.begin(), times.end(), '\n') >= 30);
}
