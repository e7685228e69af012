#include "models/update_rule.hpp"

#include <cmath>
#include <stdexcept>

namespace sgdsim {

double StepSchedule::at(std::uint64_t t) const {
  // Warm-up (Goyal et al. 2017): the first `warmup` updates take (t + 1) / warmup of the step.
  const double ramp = t < warmup ? static_cast<double>(t + 1) / static_cast<double>(warmup) : 1.0;
  switch (kind) {
    case Kind::kConstant:
      return ramp * eta0;
    case Kind::kStepDecay:
      return ramp * eta0 * std::pow(factor, static_cast<double>(t / every));
    case Kind::kInverseTime:
      return ramp * eta0 / (1.0 + static_cast<double>(t) / t0);
  }
  return eta0;
}

UpdateState::UpdateState(const UpdateSettings& settings, std::size_t dimension)
    : settings_(settings) {
  const auto n = static_cast<Eigen::Index>(dimension);
  if (settings.kind != UpdateKind::kSgd) first_ = Vector::Zero(n);
  if (settings.kind == UpdateKind::kAdagrad || settings.kind == UpdateKind::kAdam)
    second_ = Vector::Zero(n);
  if (settings.kind == UpdateKind::kAdagrad) first_.resize(0);
}

void UpdateState::apply(Eigen::Ref<Vector> w, const Eigen::Ref<const Vector>& g) {
  if (g.size() != w.size()) throw std::invalid_argument("gradient and parameters differ in size");
  const double eta = settings_.step.at(t_);
  ++t_;
  switch (settings_.kind) {
    case UpdateKind::kSgd:
      w.noalias() -= eta * g;
      return;
    case UpdateKind::kMomentum:
      first_ = settings_.momentum * first_ + g;
      w.noalias() -= eta * first_;
      return;
    case UpdateKind::kAdagrad:
      second_.array() += g.array().square();
      w.array() -= eta * g.array() / (second_.array().sqrt() + settings_.epsilon);
      return;
    case UpdateKind::kAdam: {
      const double b1 = settings_.beta1, b2 = settings_.beta2;
      first_ = b1 * first_ + (1.0 - b1) * g;
      second_.array() = b2 * second_.array() + (1.0 - b2) * g.array().square();
      const double c1 = 1.0 - std::pow(b1, static_cast<double>(t_));
      const double c2 = 1.0 - std::pow(b2, static_cast<double>(t_));
      w.array() -=
          eta * (first_.array() / c1) / ((second_.array() / c2).sqrt() + settings_.epsilon);
      return;
    }
  }
}

}  // namespace sgdsim
