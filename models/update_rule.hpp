#pragma once
// Update rules: how a gradient changes the parameters. Settings (what a scenario chooses) are
// split from per-run state (what a rule remembers between steps), as in ensmallen, so one set of
// settings serves every parameter node, each keeping its own state for its slice.

#include <cstdint>

#include "models/dataset.hpp"

namespace sgdsim {

/// How the step size changes with the number of updates t (from 0).
struct StepSchedule {
  enum class Kind {
    kConstant,     ///< eta0.
    kStepDecay,    ///< eta0 * factor^floor(t / every).
    kInverseTime,  ///< eta0 / (1 + t / t0).
  };
  Kind kind = Kind::kConstant;
  double eta0 = 0.01;
  double factor = 0.5;         ///< kStepDecay: the multiplier at each decay.
  std::uint64_t every = 1000;  ///< kStepDecay: updates between decays.
  double t0 = 1000.0;          ///< kInverseTime: updates until the step has halved.
  std::uint64_t warmup = 0;    ///< Updates over which the step rises linearly to its schedule.

  /// The step size of update t.
  double at(std::uint64_t t) const;
};

/// The family of an update rule.
enum class UpdateKind {
  kSgd,       ///< w -= eta g.
  kMomentum,  ///< v = mu v + g; w -= eta v (heavy ball).
  kAdagrad,   ///< s += g^2; w -= eta g / (sqrt(s) + eps), per coordinate.
  kAdam,      ///< Kingma and Ba's moments with bias correction.
};

/// What a scenario chooses about updates.
struct UpdateSettings {
  UpdateKind kind = UpdateKind::kSgd;
  StepSchedule step;
  double momentum = 0.9;  ///< kMomentum.
  double beta1 = 0.9;     ///< kAdam.
  double beta2 = 0.999;   ///< kAdam.
  double epsilon = 1e-8;  ///< kAdagrad, kAdam.
};

/// One run's state of an update rule over a parameter vector (or one shard's slice of it).
class UpdateState {
 public:
  UpdateState(const UpdateSettings& settings, std::size_t dimension);

  /// Applies gradient `g` to `w` as the next update. Both may be views (a shard's slice).
  void apply(Eigen::Ref<Vector> w, const Eigen::Ref<const Vector>& g);

  /// Updates applied so far.
  std::uint64_t steps() const { return t_; }

 private:
  UpdateSettings settings_;
  std::uint64_t t_ = 0;
  Vector first_;   ///< Momentum's velocity, Adam's first moment.
  Vector second_;  ///< Adagrad's sum of squares, Adam's second moment.
};

}  // namespace sgdsim
