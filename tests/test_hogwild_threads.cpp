// The threaded HOGWILD! backend: threads on disjoint supports lose nothing even with racy writes,
// every objective converges with one thread and two, atomic adds apply every delta, the
// instruments read zero where nothing can interfere, and evaluations come where they were asked.
// Built twice: as sgdsim_hogwild_tests and under ThreadSanitizer as sgdsim_hogwild_tests_tsan.

#include <sched.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "hogwild/term_sampler.hpp"
#include "hogwild/threaded_hogwild.hpp"
#include "hogwild/update_times.hpp"
#include "models/synthetic.hpp"

using namespace sgdsim;

namespace {

/// A linear model (hinge SVM or logistic regression) on generated sparse data.
std::shared_ptr<const SparseLinearObjective> linear_problem(const SparseSpec& spec, LinearLoss loss,
                                                            double l2 = 1e-4) {
  RandomStream rng(5, 0, "data");
  return std::make_shared<const SparseLinearObjective>(
      std::make_shared<const Dataset>(sparse_classification(spec, rng)), loss, l2);
}

/// Matrix factorisation of generated low-rank ratings.
std::shared_ptr<const MatrixFactorisationObjective> factorisation_problem() {
  const RatingsSpec spec{.users = 100, .items = 100, .rank = 5, .ratings = 4000, .noise = 0.1};
  RandomStream rng(6, 0, "data");
  return std::make_shared<const MatrixFactorisationObjective>(
      std::make_shared<const Dataset>(low_rank_ratings(spec, rng)), spec.users, spec.rank, 1e-4);
}

/// The samples of `a` on features 0..a.features()-1, then those of `b` on the features after
/// them: no sample of one shares a coordinate with a sample of the other.
Dataset side_by_side(const Dataset& a, const Dataset& b) {
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  const auto add = [&entries](const Dataset& d, std::int64_t first_row, std::int64_t first_col) {
    const SparseRows& rows = d.sparse_rows();
    for (Eigen::Index i = 0; i < rows.outerSize(); ++i)
      for (SparseRows::InnerIterator it(rows, i); it; ++it)
        entries.emplace_back(first_row + i, first_col + it.col(), it.value());
  };
  add(a, 0, 0);
  add(b, std::int64_t(a.size()), std::int64_t(a.features()));
  SparseRows x(Eigen::Index(a.size() + b.size()), Eigen::Index(a.features() + b.features()));
  x.setFromTriplets(entries.begin(), entries.end());
  Vector y(x.rows());
  y << a.labels(), b.labels();
  return Dataset::sparse(std::move(x), std::move(y));
}

/// first, first + 1, ..., first + count - 1.
std::vector<std::size_t> range(std::size_t first, std::size_t count) {
  std::vector<std::size_t> r(count);
  std::iota(r.begin(), r.end(), first);
  return r;
}

/// The parameters a model starts from, as the objective asks.
std::vector<double> start_of(const SparseObjective& f) {
  RandomStream rng(8, 0, "initial");
  return f.initial([&rng] { return rng.standard_normal(); });
}

/// HOGWILD!'s schedule: `eta0`, multiplied by `factor` after each epoch of `terms` updates.
StepSchedule epoch_decay(double eta0, double factor, std::size_t terms) {
  StepSchedule step;
  step.kind = StepSchedule::Kind::kStepDecay;
  step.eta0 = eta0;
  step.factor = factor;
  step.every = terms;
  return step;
}

/// Replays a run's updates one thread after the other on one model, with plain arithmetic: what a
/// run must give when no thread ever touches a coordinate another thread touches.
std::vector<double> replay_thread_by_thread(const SparseObjective& f, std::vector<double> x,
                                            const ThreadedSettings& s) {
  const std::uint64_t total = s.updates;
  std::vector<double> x_e, g_e;
  for (std::size_t t = 0; t < s.threads; ++t) {
    TermSampler sampler(s.seed, t, f.terms(), s.partition[t]);
    for (std::uint64_t u = t; u < total; u += s.threads) {
      const std::size_t e = sampler.next();
      f.gather(e, x, x_e);
      g_e.resize(x_e.size());
      f.gradient(e, x_e, g_e);
      const auto support = f.support(e);
      for (std::size_t k = 0; k < support.size(); ++k)
        x[std::size_t(support[k])] -= s.step.at(u) * g_e[k];
    }
  }
  return x;
}

}  // namespace

TEST_CASE("racy writes lose no update when the threads' terms share no coordinate") {
  const SparseSpec half{.samples = 2000, .features = 500, .nonzeros = 10, .skew = 1.0};
  RandomStream rng(3, 0, "data");
  const Dataset a = sparse_classification(half, rng), b = sparse_classification(half, rng);
  const SparseLinearObjective f(std::make_shared<const Dataset>(side_by_side(a, b)),
                                LinearLoss::kHinge, 1e-3);
  for (bool instrument : {false, true}) {
    DYNAMIC_SECTION((instrument ? "instrumented" : "not instrumented")) {
      ThreadedSettings s;
      s.threads = 2;
      s.writes = WriteSemantics::kRacy;
      s.step = epoch_decay(0.05, 0.9, f.terms());
      s.updates = 5 * f.terms();
      s.partition = {range(0, 2000), range(2000, 2000)};
      s.seed = 7;
      s.instrument = instrument;
      const std::vector<double> x0(f.dimension(), 0.0);
      const ThreadedResult r = run_threaded_hogwild(f, x0, s, {});
      const std::vector<double> expected = replay_thread_by_thread(f, x0, s);
      REQUIRE(r.updates == 20000);
      REQUIRE(r.x.size() == expected.size());
      CHECK(std::memcmp(r.x.data(), expected.data(), expected.size() * sizeof(double)) == 0);
      CHECK(r.lost_updates == 0);
      CHECK(r.conflicts == 0);
    }
  }
}

TEST_CASE("every objective converges with one and two threads and either write semantics") {
  struct Case {
    const char* name;
    std::shared_ptr<const SparseObjective> f;
    double step;
    std::uint64_t epochs;
    double fraction;  ///< The final loss must be below this fraction of the first.
  };
  // Two to three times the largest fraction measured over 1 and 2 threads, both write semantics,
  // sampling seeds 1 to 10: 0.048 (hinge), 0.22 (logistic), 0.15 (matrix factorisation).
  const SparseSpec spec{.samples = 2000, .features = 2000, .nonzeros = 20, .skew = 0.5};
  const Case cases[] = {
      {"hinge SVM", linear_problem(spec, LinearLoss::kHinge), 0.05, 10, 0.15},
      {"logistic regression", linear_problem(spec, LinearLoss::kLogistic), 0.1, 10, 0.4},
      {"matrix factorisation", factorisation_problem(), 0.05, 20, 0.3},
  };
  for (const Case& c : cases) {
    for (std::size_t threads : {1, 2}) {
      for (WriteSemantics writes : {WriteSemantics::kAtomicAdd, WriteSemantics::kRacy}) {
        DYNAMIC_SECTION(
            c.name << (threads == 1 ? " with 1 thread" : " with 2 threads")
                   << (writes == WriteSemantics::kRacy ? " and racy writes" : " and atomic adds")) {
          ThreadedSettings s;
          s.threads = threads;
          s.writes = writes;
          s.step = epoch_decay(c.step, 0.9, c.f->terms());
          s.updates = c.epochs * c.f->terms();
          const std::vector<double> x0 = start_of(*c.f);
          const ThreadedResult r = run_threaded_hogwild(*c.f, x0, s, {});
          const double first = c.f->mean_loss(x0), last = c.f->mean_loss(r.x);
          INFO("loss " << first << " -> " << last);
          CHECK(last < c.fraction * first);
        }
      }
    }
  }
}

TEST_CASE("the fused update of a linear model makes the model the generic update makes") {
  // Uninstrumented runs of a linear model take the fused path of hogwild/update.hpp; instrumented
  // ones the generic apply_update, through the objective's gradient. On one thread both must
  // make the same model, bit for bit, for every loss (hinge: with many zero derivatives).
  const SparseSpec spec{.samples = 1000, .features = 300, .nonzeros = 15, .skew = 1.0};
  for (LinearLoss loss : {LinearLoss::kHinge, LinearLoss::kLogistic, LinearLoss::kSquared}) {
    const auto f = linear_problem(spec, loss);
    for (WriteSemantics writes : {WriteSemantics::kAtomicAdd, WriteSemantics::kRacy}) {
      ThreadedSettings s;
      s.writes = writes;
      s.step = epoch_decay(0.05, 0.9, f->terms());
      s.updates = 3 * f->terms();
      std::vector<double> fused, generic;
      for (bool instrument : {false, true}) {
        s.instrument = instrument;
        (instrument ? generic : fused) = run_threaded_hogwild(*f, start_of(*f), s, {}).x;
      }
      INFO("loss " << int(loss) << ", writes " << int(writes));
      REQUIRE(fused.size() == generic.size());
      CHECK(std::memcmp(fused.data(), generic.data(), fused.size() * sizeof(double)) == 0);
      CHECK(fused != start_of(*f));
    }
  }
}

TEST_CASE("a pinned thread runs on its processor and computes what a floating one computes") {
  const std::vector<unsigned> cpus = available_cpus();
  REQUIRE_FALSE(cpus.empty());
  CHECK(std::is_sorted(cpus.begin(), cpus.end()));
  const auto f = linear_problem({.samples = 500, .features = 200, .nonzeros = 10, .skew = 1.0},
                                LinearLoss::kHinge);
  ThreadedSettings s;
  s.updates = 2 * f->terms();
  s.evaluate_every = f->terms();
  const ThreadedResult floating = run_threaded_hogwild(*f, start_of(*f), s, {});
  CHECK_FALSE(floating.pinned);
  // The evaluations run on the (only) thread, at its barrier: where it runs.
  std::vector<int> seen_on;
  const auto where = [&seen_on](const EvaluationPoint&, std::span<const double>) {
    seen_on.push_back(sched_getcpu());
  };
  s.cpus = {cpus.back()};
  const ThreadedResult pinned = run_threaded_hogwild(*f, start_of(*f), s, where);
  CHECK(pinned.pinned);
  CHECK(seen_on == std::vector<int>(3, int(cpus.back())));
  CHECK(pinned.x == floating.x);
  // A processor outside the process's set leaves the thread where the kernel puts it.
  s.cpus = {1023};
  const ThreadedResult refused = run_threaded_hogwild(*f, start_of(*f), s, {});
  CHECK_FALSE(refused.pinned);
  CHECK(refused.x == floating.x);
}

TEST_CASE("one thread sees no conflict, loses nothing and reads no stale model") {
  const auto f = linear_problem({.samples = 2000, .features = 1000, .nonzeros = 20, .skew = 1.0},
                                LinearLoss::kHinge);
  for (WriteSemantics writes : {WriteSemantics::kAtomicAdd, WriteSemantics::kRacy}) {
    ThreadedSettings s;
    s.writes = writes;
    s.updates = 2 * f->terms();
    s.instrument = true;
    const ThreadedResult r = run_threaded_hogwild(*f, start_of(*f), s, {});
    CHECK(r.conflicts == 0);
    CHECK(r.lost_updates == 0);
    CHECK(r.staleness_histogram == std::vector<std::uint64_t>{4000});
  }
}

TEST_CASE("with atomic adds the deltas the updates applied add up to x - x0") {
  // Skewed features: feature 0 is in nearly every sample, so the two threads' updates collide.
  const auto f = linear_problem({.samples = 2000, .features = 1000, .nonzeros = 20, .skew = 1.0},
                                LinearLoss::kLogistic);
  ThreadedSettings s;
  s.threads = 2;
  s.writes = WriteSemantics::kAtomicAdd;
  s.step.eta0 = 0.1;
  s.updates = 5 * f->terms();
  s.instrument = true;
  const std::vector<double> x0 = start_of(*f);
  const ThreadedResult r = run_threaded_hogwild(*f, x0, s, {});
  CHECK(r.lost_updates == 0);
  REQUIRE(r.applied.size() == x0.size());
  for (std::size_t v = 0; v < x0.size(); ++v) {
    INFO("coordinate " << v);
    REQUIRE(r.x[v] - x0[v] == Approx(r.applied[v]).epsilon(1e-12).margin(1e-10));
  }
  std::uint64_t counted = 0;
  for (std::uint64_t n : r.staleness_histogram) counted += n;
  CHECK(counted == r.updates);
}

TEST_CASE("evaluations come at the start, every so many updates and at the end, on a still model") {
  const auto f =
      linear_problem({.samples = 1000, .features = 500, .nonzeros = 10}, LinearLoss::kHinge);
  ThreadedSettings s;
  s.threads = 2;
  s.updates = 2 * f->terms();
  s.evaluate_every = 300;
  std::vector<std::uint64_t> seen;
  std::vector<double> last_model;
  const ThreadedResult r =
      run_threaded_hogwild(*f, start_of(*f), s, [&](const EvaluationPoint& p, auto x) {
        seen.push_back(p.updates);
        last_model.assign(x.begin(), x.end());
      });
  const std::vector<std::uint64_t> expected{0, 300, 600, 900, 1200, 1500, 1800, 2000};
  CHECK(seen == expected);
  REQUIRE(r.evaluations.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(r.evaluations[i].updates == expected[i]);
    CHECK(r.evaluations[i].epoch == double(expected[i]) / 1000.0);
    if (i > 0) CHECK(r.evaluations[i].wall_seconds >= r.evaluations[i - 1].wall_seconds);
  }
  CHECK(r.evaluations.back().wall_seconds == r.wall_seconds);
  CHECK(last_model == r.x);  // The last evaluation saw the final model, all writes done.
}

TEST_CASE("time spent evaluating is left out of the wall clock") {
  const auto f =
      linear_problem({.samples = 1000, .features = 500, .nonzeros = 10}, LinearLoss::kHinge);
  ThreadedSettings s;
  s.threads = 2;
  s.updates = f->terms();
  s.evaluate_every = 500;
  // Three evaluations of 100 ms each against about a millisecond of updates: the bound leaves
  // room for a loaded machine or ThreadSanitizer, and none for a single evaluation.
  const ThreadedResult r = run_threaded_hogwild(*f, start_of(*f), s, [](auto&, auto) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  REQUIRE(r.evaluations.size() == 3);
  CHECK(r.wall_seconds < 0.1);
}

TEST_CASE("an exception from an evaluation stops the run and reaches the caller") {
  const auto f =
      linear_problem({.samples = 1000, .features = 500, .nonzeros = 10}, LinearLoss::kHinge);
  ThreadedSettings s;
  s.threads = 2;
  s.updates = 3 * f->terms();
  s.evaluate_every = 500;
  int calls = 0;
  const auto throw_at_second = [&calls](auto&, auto) {
    if (++calls == 2) throw std::runtime_error("evaluation failed");
  };
  CHECK_THROWS_WITH(run_threaded_hogwild(*f, start_of(*f), s, throw_at_second),
                    "evaluation failed");
  CHECK(calls == 2);
}

TEST_CASE("a stop ends the run at each thread's next check, the updates made counted") {
  const auto f =
      linear_problem({.samples = 1000, .features = 500, .nonzeros = 10}, LinearLoss::kHinge);
  ThreadedSettings s;
  s.threads = 2;
  s.updates = 100'000'000;  // Far more than the run makes: the stop ends it.
  s.evaluate_every = 50'000'000;
  std::atomic<bool> stop{false};
  s.stop = [&stop] { return stop.load(); };
  std::vector<std::uint64_t> seen;
  const ThreadedResult r = run_threaded_hogwild(*f, start_of(*f), s, [&](auto& p, auto) {
    seen.push_back(p.updates);
    stop = true;  // At the first meeting, before any update.
  });
  // Each thread asks every 4,096 of its updates, so each makes exactly 4,096.
  CHECK(r.stopped);
  CHECK(r.updates == 2 * 4096);
  CHECK(seen == std::vector<std::uint64_t>{0, 2 * 4096});  // The model they left is evaluated.
  CHECK(r.evaluations.back().updates == r.updates);
}

TEST_CASE("settings that do not fit the objective are refused") {
  const auto f =
      linear_problem({.samples = 100, .features = 50, .nonzeros = 5}, LinearLoss::kHinge);
  const std::vector<double> x0(f->dimension(), 0.0);
  ThreadedSettings s;
  s.threads = 0;
  CHECK_THROWS_AS(run_threaded_hogwild(*f, x0, s, {}), std::invalid_argument);
  s.threads = 2;
  s.partition = {range(0, 50)};
  CHECK_THROWS_AS(run_threaded_hogwild(*f, x0, s, {}), std::invalid_argument);
  s.partition = {range(0, 50), range(50, 51)};
  CHECK_THROWS_AS(run_threaded_hogwild(*f, x0, s, {}), std::invalid_argument);
  s.partition = {range(0, 50), {}};
  CHECK_THROWS_AS(run_threaded_hogwild(*f, x0, s, {}), std::invalid_argument);
  s.partition.clear();
  CHECK_THROWS_AS(run_threaded_hogwild(*f, std::vector<double>(3, 0.0), s, {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(measure_update_times(*f, std::vector<double>(3, 0.0), 10, 1),
                  std::invalid_argument);
}

TEST_CASE("update times are measured one per update") {
  const auto f =
      linear_problem({.samples = 500, .features = 1000, .nonzeros = 50}, LinearLoss::kHinge);
  const std::vector<double> x = start_of(*f);
  const std::vector<double> times = measure_update_times(*f, x, 1000, 4);
  REQUIRE(times.size() == 1000);
  for (double t : times) REQUIRE(t > 0.0);
}

TEST_CASE("update-time quantiles fall within a bucket's width of the true values") {
  LogHistogram h;
  for (int i = 0; i < 900; ++i) h.add(1e-6);
  for (int i = 0; i < 100; ++i) h.add(1e-3);
  CHECK(h.count() == 1000);
  CHECK(h.quantile(0.5) == Approx(1e-6).epsilon(0.045));
  CHECK(h.quantile(0.9) == Approx(1e-6).epsilon(0.045));
  CHECK(h.quantile(0.91) == Approx(1e-3).epsilon(0.045));
  CHECK(h.quantile(0.0) == Approx(1e-6).epsilon(0.045));
  CHECK(LogHistogram().quantile(0.5) == 0.0);
}
