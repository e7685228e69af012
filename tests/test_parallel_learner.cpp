// The learner's threads on their own, driven as an asynchronous parameter server drives it, so
// that this file also builds under ThreadSanitizer with the learner's sources (see
// tests/CMakeLists.txt).

#include <catch2/catch.hpp>

#include "models/partition.hpp"
#include "models/softmax.hpp"
#include "models/synthetic.hpp"
#include "sim/learning/model_learner.hpp"

using namespace sgdsim;

namespace {

/// Six workers on a softmax problem in two shards: each round every worker reads the current
/// model and begins a gradient; the gradients are finished in reverse and applied one by one,
/// each changing a version that later gradients of the round still read.
std::vector<double> train(std::uint32_t threads) {
  RandomStream data_rng(5, 0, "data");
  LearningSetup s;
  s.train = std::make_shared<const Dataset>(blobs({240, 12, 3, 1.0}, data_rng));
  s.objective = std::make_shared<const SoftmaxObjective>(3, 1e-4);
  s.update.step.eta0 = 0.1;
  RandomStream rng(5, 0, "partition");
  s.partitions = partition(s.train->size(), 6, PartitionKind::kShuffled, rng);
  s.batch_size = 4;
  s.shards = 2;
  s.initial = Vector::Zero(static_cast<Eigen::Index>(s.objective->dimension(12)));
  s.threads = threads;
  ModelLearner learner(s);
  std::vector<Gradient> gradients(6);
  for (int round = 0; round < 40; ++round) {
    for (std::uint32_t w = 0; w < 6; ++w) {
      const std::vector<ShardSnapshot> read = {learner.snapshot(0), learner.snapshot(1)};
      learner.compute(w, read, gradients[w]);
    }
    for (std::uint32_t w = 6; w-- > 0;) {
      learner.finish(w, gradients[w]);
      for (std::uint32_t shard = 0; shard < 2; ++shard) {
        const std::vector<double>* slice = &gradients[w][shard];
        learner.apply(shard, std::span(&slice, 1));
      }
    }
  }
  CHECK(learner.copies_peak() <= 3 * 2);  // The simulation's copies, not the threads'.
  const Vector p = learner.parameters();
  return {p.data(), p.data() + p.size()};
}

}  // namespace

TEST_CASE("a learner on three threads gives the bits of one, its versions changing under it") {
  const std::vector<double> one = train(1);
  CHECK(train(3) == one);
  CHECK(train(2) == one);
}
