#pragma once
// Latency distributions for compute times and link delays, with their exact means and variances
// (the reference-result tests compare simulated figures against them).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/random.hpp"
#include "sim/engine/time.hpp"

namespace sgdsim {

/// The family of a latency distribution.
enum class LatencyKind {
  kConstant,
  kUniform,
  kExponential,
  kShiftedExponential,
  kNormal,
  kLognormal,
  kGamma,
  kWeibull,
  kPareto,
  kEmpirical,
  kStraggler,
};

/// What a numeric parameter measures, so the scenario loader knows which unit it takes.
enum class ParamUnit { kTime, kNumber, kProbability };

/// One numeric parameter of a distribution family.
struct LatencyParam {
  std::string name;
  ParamUnit unit;
  std::string help;
  std::optional<double> default_value = {};  ///< Empty when the parameter is required.
};

/// A distribution family as users write it: its YAML name, what it is and its parameters.
/// This table is the one place the families are declared; the loader and the docs read it.
struct LatencyFamily {
  LatencyKind kind;
  std::string name;
  std::string help;
  std::vector<LatencyParam> params;  ///< Numeric parameters (empirical and straggler take more).
};

/// All families, in the order the docs list them.
const std::vector<LatencyFamily>& latency_families();

/// A distribution of non-negative durations. Parameters are in seconds (or plain numbers), as the
/// family table declares. Immutable once built; cheap to copy (a straggler's base is shared).
class LatencyDistribution {
 public:
  /// A constant zero: no delay at all.
  LatencyDistribution() = default;

  /// Builds a numeric family from its parameters by name. Throws std::invalid_argument naming the
  /// parameter when a value is out of range. Not for kEmpirical or kStraggler.
  static LatencyDistribution make(LatencyKind kind, const std::map<std::string, double>& params);

  /// Draws uniformly from the given samples (seconds, each >= 0, at least one).
  static LatencyDistribution empirical(std::vector<double> samples);

  /// With probability `p`, a draw of `base` is slowed by `factor`; workers listed in
  /// `slow_workers` are always slowed.
  static LatencyDistribution straggler(LatencyDistribution base, double p, double factor,
                                       std::vector<std::uint64_t> slow_workers);

  /// Draws a duration in seconds for `who` (a worker index; only stragglers look at it).
  double sample_seconds(RandomStream& rng, std::uint64_t who) const;

  /// Draws a duration in nanoseconds, scaled by `scale` (speed factor times work).
  SimTime sample(RandomStream& rng, std::uint64_t who, double scale = 1.0) const {
    return from_seconds(sample_seconds(rng, who) * scale);
  }

  /// Exact mean in seconds for `who` (infinite for a Pareto of shape <= 1).
  double mean(std::uint64_t who = 0) const;

  /// Exact variance in seconds squared (infinite where it does not exist).
  double variance(std::uint64_t who = 0) const;

  /// True when every draw is zero, so a link or task with it costs no time.
  bool is_zero() const { return kind_ == LatencyKind::kConstant && a_ == 0.0; }

  /// The family.
  LatencyKind kind() const { return kind_; }

 private:
  double second_moment(std::uint64_t who) const;
  bool slowed_always(std::uint64_t who) const;

  LatencyKind kind_ = LatencyKind::kConstant;
  double a_ = 0.0, b_ = 0.0;  ///< The family's parameters, in table order.
  std::vector<double> samples_;
  std::shared_ptr<const LatencyDistribution> base_;
  std::vector<std::uint64_t> slow_workers_;  ///< Sorted.
};

}  // namespace sgdsim
