// Whole learning runs: convergence to known optima, the cost of staleness, and what metrics.csv
// and summary.json report.

#include <Eigen/Cholesky>
#include <catch2/catch.hpp>
#include <numeric>

#include "app/learning_problem.hpp"
#include "models/libsvm.hpp"
#include "models/synthetic.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;

namespace {

const std::string kShipped =
    std::string(SGDSIM_SOURCE_DIR) + "/scenarios/learning/stale_step_size.yaml";

double final_train_loss(const std::filesystem::path& run) {
  return summary(run)["learning"]["final"]["train_loss"];
}

}  // namespace

TEST_CASE("least squares converges to the closed-form solution") {
  // Four synchronous workers of batch 64 with a 1/t step: the parameters end within 1% of the
  // least-squares solution of the training split, found by a Cholesky solve of X'X w = X'y.
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\ncompute: {time: 1ms}\n"
                            "algorithm: {step_size: 0.5, batch_size: 64, schedule: inverse_time, "
                            "decay_t0: 100}\n"
                            "model: {type: least_squares}\n"
                            "data: {samples: 2000, features: 8, noise: 0.5}\n"
                            "stop: {updates: 4000}\noutput: {trace: false, updates: false}\n");
  const Scenario s = load_scenario((run / "scenario.resolved.yaml").string());
  const LearningProblem p = build_learning_problem(s);
  const DenseRows& x = p.train->dense_rows();
  const Vector closed = (x.transpose() * x).ldlt().solve(x.transpose() * p.train->labels());
  const double optimum = p.objective->mean_loss(*p.train, closed);
  const double reached = final_train_loss(run);
  INFO("optimum " << optimum << " reached " << reached);
  CHECK(reached >= optimum - 1e-12);
  CHECK(reached == Approx(optimum).epsilon(0.01));
}

TEST_CASE("logistic regression reaches the optimum of a long full-batch run") {
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\ncompute: {time: 1ms}\n"
                            "algorithm: {step_size: 1.0, batch_size: 64, schedule: inverse_time, "
                            "decay_t0: 200}\n"
                            "model: {type: logistic, l2: 0.01}\n"
                            "data: {source: classification, samples: 2000, features: 5, "
                            "label_noise: 0.1}\n"
                            "stop: {updates: 4000}\noutput: {trace: false, updates: false}\n");
  const Scenario s = load_scenario((run / "scenario.resolved.yaml").string());
  const LearningProblem p = build_learning_problem(s);
  // Full-batch gradient descent, 3,000 steps of 1.0: the objective is 0.01-strongly convex and
  // smooth, so this is the optimum to many digits.
  Vector w = Vector::Zero(5), g(5);
  std::vector<std::size_t> all(p.train->size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  for (int t = 0; t < 3000; ++t) {
    p.objective->batch_gradient(*p.train, all, w, g);
    w -= (1.0 / static_cast<double>(all.size())) * g;
  }
  const double optimum = p.objective->mean_loss(*p.train, w);
  const double reached = final_train_loss(run);
  INFO("optimum " << optimum << " reached " << reached);
  CHECK(reached >= optimum - 1e-9);
  CHECK(reached - optimum < 1e-3);
}

TEST_CASE("staleness costs: 32 asynchronous workers end higher than one after the same updates") {
  // The shipped least-squares scenario, asynchronous with step 0.2, 1,000 updates: one worker
  // ends at a training loss of 0.0052 (the noise floor), thirty-two at 0.024.
  TempDir dir;
  const std::string text = read_text(kShipped);
  const auto one =
      run_yaml(dir, text, "one",
               {{"algorithm.type=async"}, {"algorithm.step_size=0.2"}, {"cluster.workers=1"}});
  const auto many =
      run_yaml(dir, text, "many", {{"algorithm.type=async"}, {"algorithm.step_size=0.2"}});
  const double loss_one = final_train_loss(one), loss_many = final_train_loss(many);
  INFO("P = 1: " << loss_one << ", P = 32: " << loss_many);
  CHECK(loss_one < 0.006);
  CHECK(loss_many > 3 * loss_one);
}

TEST_CASE("the shipped lesson: a step that converges synchronously diverges asynchronously") {
  TempDir dir;
  const std::string text = read_text(kShipped);
  const double sync = final_train_loss(run_yaml(dir, text, "sync"));
  const double async = final_train_loss(run_yaml(dir, text, "async", {{"algorithm.type=async"}}));
  INFO("sync " << sync << ", async " << async);
  CHECK(sync < 0.01);
  CHECK(async > 1000.0);
}

TEST_CASE("metrics.csv opens with the untrained model and reports accuracy only for classifiers") {
  TempDir dir;
  const std::string base = "cluster: {workers: 2}\ncompute: {time: 1ms}\nstop: {updates: 50}\n";
  const auto regression = run_yaml(dir, base + "model: {type: least_squares}\n", "reg");
  const auto classes = run_yaml(
      dir, base + "model: {type: svm}\ndata: {source: sparse, features: 200, nonzeros: 5}\n",
      "cls");
  for (const auto& run : {regression, classes}) {
    const std::string csv = read_text(run / "metrics.csv");
    CHECK(csv.rfind("sim_time_s,update,epoch,gradients,train_loss,test_loss,test_accuracy,", 0) ==
          0);
    const auto times = csv_column(run / "metrics.csv", "sim_time_s");
    const auto losses = csv_column(run / "metrics.csv", "train_loss");
    REQUIRE(times.size() >= 2);
    CHECK(times.front() == 0.0);
    CHECK(losses.back() < losses.front());
  }
  CHECK(read_text(regression / "metrics.csv").find(",,") != std::string::npos);  // No accuracy.
  const auto accuracy = csv_column(classes / "metrics.csv", "test_accuracy");
  CHECK(accuracy.back() > 0.5);
  CHECK(summary(classes)["learning"]["best"].contains("test_accuracy"));
}

TEST_CASE("evaluating the model never changes the simulation") {
  TempDir dir;
  const std::string text =
      read_text(std::string(SGDSIM_SOURCE_DIR) + "/scenarios/async_vs_sync_logistic.yaml");
  const auto rare = run_yaml(dir, text, "rare", {{"stop.target_loss=~"}, {"stop.time=0.3s"}});
  const auto often =
      run_yaml(dir, text, "often",
               {{"stop.target_loss=~"}, {"stop.time=0.3s"}, {"output.metrics_interval=1ms"}});
  CHECK(read_text(rare / "updates.csv") == read_text(often / "updates.csv"));
  CHECK(csv_column(often / "metrics.csv", "sim_time_s").size() >
        3 * csv_column(rare / "metrics.csv", "sim_time_s").size());
}

TEST_CASE("a target loss stops the run and summary.json tells when it was reached") {
  TempDir dir;
  const auto run = run_yaml(
      dir, read_text(std::string(SGDSIM_SOURCE_DIR) + "/scenarios/async_vs_sync_logistic.yaml"));
  const auto j = summary(run);
  CHECK(j["stop_reason"] == "stop.target_loss reached");
  const double t = j["learning"]["time_to_target_s"];
  const auto times = csv_column(run / "metrics.csv", "sim_time_s");
  const auto losses = csv_column(run / "metrics.csv", "train_loss");
  CHECK(times.back() == Approx(t));
  CHECK(losses.back() <= 0.32);
  CHECK(losses[losses.size() - 2] > 0.32);
}

TEST_CASE("an MLP learns the rings that a linear model cannot") {
  TempDir dir;
  const std::string text =
      read_text(std::string(SGDSIM_SOURCE_DIR) + "/scenarios/learning/mlp_rings.yaml");
  const auto mlp = summary(run_yaml(dir, text, "mlp"));
  const auto linear = summary(run_yaml(dir, text, "linear", {{"model.type=logistic"}}));
  const double mlp_accuracy = mlp["learning"]["final"]["test_accuracy"];
  const double linear_accuracy = linear["learning"]["final"]["test_accuracy"];
  INFO("mlp " << mlp_accuracy << ", logistic " << linear_accuracy);
  CHECK(mlp_accuracy > 0.95);
  CHECK(linear_accuracy < 0.6);
}

TEST_CASE("softmax regression separates Gaussian blobs") {
  TempDir dir;
  const auto run = run_yaml(dir,
                            "cluster: {workers: 4}\ncompute: {time: 1ms}\n"
                            "algorithm: {batch_size: 16, step_size: 0.5}\n"
                            "model: {type: softmax}\n"
                            "data: {source: blobs, features: 5, classes: 4, spread: 3}\n"
                            "stop: {updates: 1000}\n");
  const double accuracy = summary(run)["learning"]["final"]["test_accuracy"];
  CHECK(accuracy > 0.9);
}

TEST_CASE("memory stays at the versions in flight: readers of one version share one copy") {
  // Sixteen workers, 1 ms links. Synchronously every worker reads the same version and releases
  // it before the next update, so one copy ever exists. Asynchronously a model is on the wire to
  // each worker at different versions, but never more copies than workers plus the current one.
  TempDir dir;
  const std::string base =
      "cluster: {workers: 16}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
      "network: {latency: 1ms}\nmodel: {type: least_squares}\nstop: {updates: 300}\n";
  const auto sync = summary(run_yaml(dir, base, "sync"));
  const auto async = summary(run_yaml(dir, base + "algorithm: {type: async}\n", "async"));
  const std::size_t sync_peak = sync["learning"]["shard_copies_alive_peak"];
  const std::size_t async_peak = async["learning"]["shard_copies_alive_peak"];
  INFO("sync " << sync_peak << ", async " << async_peak);
  CHECK(sync_peak == 1);
  CHECK(async_peak > 1);
  CHECK(async_peak <= 17);
}

TEST_CASE("a LIBSVM file trains a model, and a bad one is refused at its line") {
  TempDir dir;
  RandomStream rng(12, 0, "libsvm");
  {
    std::ofstream out(dir / "spam.svm");
    write_libsvm(out, sparse_classification({400, 50, 5, 0.5, 0.0}, rng));
  }
  write_text(dir / "bad.svm", "+1 1:0.5\n-1 3:1 2:1\n");
  const std::string scenario =
      "cluster: {workers: 4}\ncompute: {time: 1ms}\nalgorithm: {step_size: 0.5}\n"
      "model: {type: svm}\ndata: {source: libsvm, file: FILE}\nstop: {updates: 400}\n";
  const auto with_file = [&](const std::string& file) {
    std::string s = scenario;
    s.replace(s.find("FILE"), 4, file);
    return s;
  };
  const auto run = run_yaml(dir, with_file("spam.svm"));
  CHECK(double(summary(run)["learning"]["final"]["test_accuracy"]) > 0.7);
  CHECK_THROWS_WITH(run_yaml(dir, with_file("bad.svm"), "bad"),
                    Catch::Contains("bad.svm:2: feature indices must increase, but 2 follows 3"));
  CHECK_THROWS_AS(run_yaml(dir, with_file("missing.svm"), "missing"), FileNotFound);
  CHECK_FALSE(std::filesystem::exists(dir / "bad"));
}

TEST_CASE("a compressed push carries exactly its encoding") {
  // One worker, one parameter node: every update moves one full model down (20 parameters of
  // 4 bytes) and one top-k push of 5 coordinates up: 4 + 8 * 5 bytes of encoding and 16 of header.
  TempDir dir;
  const std::string base =
      "cluster: {workers: 1}\ncompute: {time: 1ms}\nnetwork: {header_bytes: 16B}\n"
      "model: {type: least_squares}\ndata: {features: 20}\nstop: {updates: 100}\n";
  const auto topk =
      summary(run_yaml(dir, base + "algorithm: {compression: topk, topk: 5}\n", "topk"));
  const std::uint64_t pulls = 101 * (20 * 4 + 16);  // The last pull answers the 100th update.
  CHECK(topk["network"]["bytes_sent"] == pulls + 100 * (4 + 8 * 5 + 16));
  const auto plain = summary(run_yaml(dir, base, "plain"));
  CHECK(plain["network"]["bytes_sent"] == pulls + 100 * (20 * 4 + 16));
}

TEST_CASE("top-k with k = d trains exactly as without compression") {
  TempDir dir;
  const std::string base =
      "cluster: {workers: 3}\ncompute: {time: {dist: exponential, mean: 1ms}}\n"
      "algorithm: {type: async, step_size: 0.05}\nmodel: {type: least_squares}\n"
      "data: {features: 6}\nstop: {updates: 300}\n";
  const auto plain = run_yaml(dir, base, "plain");
  const auto topk =
      run_yaml(dir, base, "topk", {{"algorithm.compression=topk"}, {"algorithm.topk=6"}});
  CHECK(read_text(plain / "metrics.csv") == read_text(topk / "metrics.csv"));
}

TEST_CASE("QSGD pushes fewer bytes and still trains") {
  TempDir dir;
  const std::string base =
      "cluster: {workers: 4}\ncompute: {time: 1ms}\nalgorithm: {batch_size: 8, step_size: 0.5}\n"
      "model: {type: logistic}\ndata: {source: classification, features: 200}\n"
      "stop: {updates: 300}\n";
  const auto plain = summary(run_yaml(dir, base, "plain"));
  const auto qsgd = summary(run_yaml(dir, base, "qsgd", {{"algorithm.compression=qsgd"}}));
  CHECK(double(qsgd["network"]["bytes_sent"]) < 0.75 * double(plain["network"]["bytes_sent"]));
  CHECK(double(qsgd["learning"]["final"]["test_accuracy"]) > 0.8);
}

TEST_CASE("the linear scaling rule: more workers reach the same loss in the same epochs") {
  // The shipped large-batch scenario without warm-up: 32 workers x 200 updates against 4 workers x
  // 1,600 updates, both 12.8 epochs. With the step scaled (0.8 against 0.1) the losses agree
  // (0.0721 and 0.0723); with the step left at 0.1, 32 workers end at about twice the loss.
  TempDir dir;
  const std::string text =
      read_text(std::string(SGDSIM_SOURCE_DIR) + "/scenarios/large_batch.yaml");
  const auto loss = [](const nlohmann::json& j) {
    return double(j["learning"]["final"]["train_loss"]);
  };
  const auto many = summary(run_yaml(dir, text, "many", {{"algorithm.warmup=0"}}));
  const auto few = summary(run_yaml(
      dir, text, "few", {{"algorithm.warmup=0"}, {"cluster.workers=4"}, {"stop.updates=1600"}}));
  const auto unscaled = summary(run_yaml(
      dir, text, "unscaled", {{"algorithm.warmup=0"}, {"algorithm.scaling_reference_batch=0"}}));
  CHECK(double(many["learning"]["step_size"]) == Approx(0.8));
  CHECK(double(many["learning"]["epochs"]) == Approx(double(few["learning"]["epochs"])));
  CHECK(loss(many) == Approx(loss(few)).epsilon(0.05));
  CHECK(loss(unscaled) > 1.5 * loss(many));
  CHECK(double(many["sim_time_s"]) < 0.5 * double(few["sim_time_s"]));
}
