// Data: synthetic generators, splits and partitions, and the LIBSVM reader.

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "models/libsvm.hpp"
#include "models/partition.hpp"
#include "models/synthetic.hpp"
#include "sim/engine/random.hpp"

using namespace sgdsim;

TEST_CASE("generated regression labels follow the hidden model up to the noise") {
  RandomStream rng(3, 0, "data");
  Vector truth;
  const Dataset data = linear_regression({2000, 5, 0.1}, rng, &truth);
  REQUIRE(data.size() == 2000);
  double sum2 = 0.0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double r = data.label(i) - data.dot(i, truth);
    sum2 += r * r;
  }
  CHECK(std::sqrt(sum2 / 2000) == Approx(0.1).epsilon(0.1));
}

TEST_CASE("generated classes respect the margin and the label noise") {
  RandomStream rng(3, 0, "data");
  Vector truth;
  const Dataset clean = logistic_classification({1000, 4, 0.5, 0.0}, rng, &truth);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const double z = clean.dot(i, truth);
    REQUIRE(std::abs(z) >= 0.5);
    REQUIRE(clean.label(i) == (z >= 0 ? 1.0 : -1.0));
  }
  const Dataset noisy = logistic_classification({20000, 4, 0.0, 0.2}, rng, &truth);
  std::size_t flipped = 0;
  for (std::size_t i = 0; i < noisy.size(); ++i)
    flipped += noisy.label(i) != (noisy.dot(i, truth) >= 0 ? 1.0 : -1.0);
  CHECK(flipped / 20000.0 == Approx(0.2).margin(0.01));
}

TEST_CASE("sparse data have the asked non-zeros and a skew toward the first features") {
  RandomStream rng(3, 0, "data");
  const Dataset flat = sparse_classification({2000, 1000, 8, 0.0, 0.0}, rng);
  const Dataset skewed = sparse_classification({2000, 1000, 8, 1.5, 0.0}, rng);
  for (const Dataset* d : {&flat, &skewed}) {
    REQUIRE(d->is_sparse());
    CHECK(d->sparse_rows().nonZeros() == 2000 * 8);
  }
  const auto uses_of_feature_0 = [](const Dataset& d) {
    return Eigen::VectorXd(d.sparse_rows().col(0)).cwiseAbs().cwiseSign().sum();
  };
  CHECK(uses_of_feature_0(flat) < 100);     // About 2000 * 8 / 1000 = 16.
  CHECK(uses_of_feature_0(skewed) > 1000);  // Zipf 1.5 puts feature 0 in most samples.
}

TEST_CASE("a split covers every sample exactly once") {
  RandomStream rng(5, 0, "split");
  const Split s = train_test_split(101, 0.2, rng);
  CHECK(s.test.size() == 20);
  CHECK(s.train.size() == 81);
  std::set<std::size_t> all(s.train.begin(), s.train.end());
  all.insert(s.test.begin(), s.test.end());
  CHECK(all.size() == 101);
}

TEST_CASE("partitions deal samples in near-equal blocks or give everyone everything") {
  RandomStream rng(5, 0, "partition");
  const auto contiguous = partition(10, 3, PartitionKind::kContiguous, rng);
  CHECK(contiguous[0] == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(contiguous[2] == std::vector<std::size_t>{7, 8, 9});
  const auto shuffled = partition(10, 3, PartitionKind::kShuffled, rng);
  std::set<std::size_t> seen;
  for (const auto& part : shuffled) seen.insert(part.begin(), part.end());
  CHECK(seen.size() == 10);
  CHECK(shuffled != contiguous);
  const auto replicated = partition(10, 3, PartitionKind::kReplicated, rng);
  CHECK(replicated[1].size() == 10);
}

TEST_CASE("LIBSVM files round-trip exactly") {
  RandomStream rng(8, 0, "libsvm");
  const Dataset data = sparse_classification({50, 40, 5, 0.5, 0.1}, rng);
  std::stringstream text;
  write_libsvm(text, data);
  const Dataset back = read_libsvm(text, "mem", 40);
  REQUIRE(back.size() == data.size());
  CHECK(back.features() == 40);
  CHECK(back.labels() == data.labels());
  CHECK(SparseRows(back.sparse_rows() - data.sparse_rows()).norm() == 0.0);
}

TEST_CASE("malformed LIBSVM lines are refused with their line number") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"+1 1:0.5\nspam 2:1\n", "f.svm:2: expected a label, got 'spam'"},
      {"# header\n\n-1 3:1 2:1\n", "f.svm:3: feature indices must increase, but 2 follows 3"},
      {"1 0:1\n", "f.svm:1: feature index must be a whole number from 1, got '0'"},
      {"1 4\n", "f.svm:1: expected INDEX:VALUE, got '4'"},
      {"1 1:1\n1 2:x\n", "f.svm:2: expected a number after '2:', got 'x'"},
      // Found by fuzzing (tests/fuzz/corpus/fuzz_libsvm/index_overflow): an index past long long
      // overflowed Eigen's index arithmetic.
      {"0 +52444444444444444444444436:-0.125\n",
       "f.svm:1: feature index +52444444444444444444444436 is above 1000000000000, the most "
       "features a model may have"},
      {"1 1000000000001:1\n",
       "f.svm:1: feature index 1000000000001 is above 1000000000000, the most features a model "
       "may have"},
  };
  for (const auto& [text, message] : cases) {
    std::istringstream in(text);
    CHECK_THROWS_WITH(read_libsvm(in, "f.svm"), message);
  }
}

TEST_CASE("a LIBSVM file's memory follows its entries, not its largest feature index") {
  // Filled through setFromTriplets, this allocated a column array of 8 TB.
  std::istringstream in("1 3:1 1000000000000:2\n-1\n");
  const Dataset d = read_libsvm(in, "f.svm");
  CHECK(d.size() == 2);
  CHECK(d.features() == 1'000'000'000'000);
  CHECK(d.sparse_rows().nonZeros() == 2);
  CHECK(d.sparse_rows().coeff(0, 999'999'999'999) == 2.0);
}

TEST_CASE("LIBSVM comments and blank lines are skipped") {
  std::istringstream in("# a comment\n+1 1:2 3:-1.5  # trailing\n\n-1\n");
  const Dataset d = read_libsvm(in, "f.svm");
  REQUIRE(d.size() == 2);
  CHECK(d.features() == 3);
  CHECK(d.label(1) == -1.0);
  CHECK(d.sparse_rows().coeff(0, 2) == -1.5);
}
