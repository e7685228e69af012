// Update rules do what their formulas say, step by step, and each minimises a simple quadratic.

#include <catch2/catch.hpp>
#include <cmath>

#include "models/update_rule.hpp"

using namespace sgdsim;

namespace {

Vector vec(std::initializer_list<double> v) {
  Vector x(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double e : v) x[i++] = e;
  return x;
}

UpdateSettings settings(UpdateKind kind, double eta) {
  UpdateSettings s;
  s.kind = kind;
  s.step.eta0 = eta;
  return s;
}

}  // namespace

TEST_CASE("step schedules follow their formulas") {
  StepSchedule s;
  s.eta0 = 0.5;
  CHECK(s.at(12345) == 0.5);
  s.kind = StepSchedule::Kind::kStepDecay;
  s.factor = 0.1;
  s.every = 100;
  CHECK(s.at(99) == Approx(0.5));
  CHECK(s.at(100) == Approx(0.05));
  CHECK(s.at(250) == Approx(0.005));
  s.kind = StepSchedule::Kind::kInverseTime;
  s.t0 = 10;
  CHECK(s.at(0) == Approx(0.5));
  CHECK(s.at(10) == Approx(0.25));
}

TEST_CASE("plain SGD subtracts the step times the gradient exactly") {
  UpdateState rule(settings(UpdateKind::kSgd, 0.1), 2);
  Vector w = vec({1.0, 2.0});
  rule.apply(w, vec({0.5, -1.0}));
  CHECK(w == vec({1.0 - 0.1 * 0.5, 2.0 - 0.1 * -1.0}));
  CHECK(rule.steps() == 1);
}

TEST_CASE("momentum accumulates a velocity") {
  UpdateSettings s = settings(UpdateKind::kMomentum, 0.1);
  s.momentum = 0.5;
  UpdateState rule(s, 1);
  Vector w = vec({0.0});
  rule.apply(w, vec({1.0}));  // v = 1
  rule.apply(w, vec({1.0}));  // v = 1.5
  CHECK(w[0] == Approx(-0.1 * (1.0 + 1.5)));
}

TEST_CASE("Adagrad divides each coordinate by the root of its summed squares") {
  UpdateSettings s = settings(UpdateKind::kAdagrad, 1.0);
  s.epsilon = 0.0;
  UpdateState rule(s, 2);
  Vector w = vec({0.0, 0.0});
  rule.apply(w, vec({3.0, 0.5}));
  CHECK(w[0] == Approx(-1.0));  // 3 / sqrt(9)
  CHECK(w[1] == Approx(-1.0));  // 0.5 / sqrt(0.25)
  rule.apply(w, vec({4.0, 0.0}));
  CHECK(w[0] == Approx(-1.0 - 4.0 / 5.0));
  CHECK(w[1] == Approx(-1.0));
}

TEST_CASE("Adam's first step moves every coordinate by about the step size") {
  UpdateState rule(settings(UpdateKind::kAdam, 0.01), 2);
  Vector w = vec({0.0, 0.0});
  rule.apply(w, vec({100.0, -0.001}));
  // With bias correction m / sqrt(v) = g / |g| on the first step.
  CHECK(w[0] == Approx(-0.01).epsilon(1e-6));
  CHECK(w[1] == Approx(0.01).epsilon(1e-3));
}

TEST_CASE("every update rule minimises a quadratic") {
  // f(w) = |w - c|^2 / 2, gradient w - c.
  const Vector c = vec({1.0, -2.0, 0.5});
  for (auto kind :
       {UpdateKind::kSgd, UpdateKind::kMomentum, UpdateKind::kAdagrad, UpdateKind::kAdam}) {
    DYNAMIC_SECTION("rule " << static_cast<int>(kind)) {
      UpdateState rule(settings(kind, kind == UpdateKind::kMomentum ? 0.05 : 0.1), 3);
      Vector w = Vector::Zero(3);
      for (int t = 0; t < 5000; ++t) rule.apply(w, w - c);
      CHECK((w - c).norm() < 1e-3);
    }
  }
}

TEST_CASE("a warm-up ramps the step up linearly, then follows the schedule") {
  StepSchedule s;
  s.eta0 = 0.8;
  s.warmup = 4;
  CHECK(s.at(0) == Approx(0.2));
  CHECK(s.at(1) == Approx(0.4));
  CHECK(s.at(3) == Approx(0.8));
  CHECK(s.at(100) == Approx(0.8));
}
