#include "sim/cluster/latency.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace sgdsim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Standard normal density and upper tail, for the moments of the truncated normal.
double normal_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}
double normal_upper_tail(double x) {
  return 0.5 * std::erfc(x / std::numbers::sqrt2);
}

double param(const std::map<std::string, double>& params, const std::string& name) {
  const auto it = params.find(name);
  if (it == params.end()) throw std::invalid_argument("missing parameter '" + name + "'");
  return it->second;
}

void require(bool ok, const std::string& name, const char* what) {
  if (!ok) throw std::invalid_argument("'" + name + "' must be " + what);
}

}  // namespace

const std::vector<LatencyFamily>& latency_families() {
  using K = LatencyKind;
  using U = ParamUnit;
  static const std::vector<LatencyFamily> families = {
      {K::kConstant, "constant", "always the same duration", {{"value", U::kTime, "the duration"}}},
      {K::kUniform,
       "uniform",
       "uniform between min and max",
       {{"min", U::kTime, "shortest duration"}, {"max", U::kTime, "longest duration"}}},
      {K::kExponential, "exponential", "exponential (memoryless)", {{"mean", U::kTime, "mean"}}},
      {K::kShiftedExponential,
       "shifted_exponential",
       "a fixed shift plus an exponential; total mean is shift + mean",
       {{"shift", U::kTime, "the deterministic part"},
        {"mean", U::kTime, "mean of the exponential part"}}},
      {K::kNormal,
       "normal",
       "normal truncated at zero (negative draws are redrawn)",
       {{"mean", U::kTime, "mean before truncation"},
        {"stddev", U::kTime, "standard deviation before truncation"}}},
      {K::kLognormal,
       "lognormal",
       "median * exp(sigma * Z) with Z standard normal",
       {{"median", U::kTime, "the median"},
        {"sigma", U::kNumber, "standard deviation of the log"}}},
      {K::kGamma,
       "gamma",
       "gamma with the given shape and mean",
       {{"shape", U::kNumber, "shape k (1 is exponential)"}, {"mean", U::kTime, "mean"}}},
      {K::kWeibull,
       "weibull",
       "Weibull with the given shape and scale",
       {{"shape", U::kNumber, "shape k"}, {"scale", U::kTime, "scale lambda"}}},
      {K::kPareto,
       "pareto",
       "Pareto (heavy tail): scale * U^(-1/shape)",
       {{"shape", U::kNumber, "tail index alpha; the mean is finite when > 1"},
        {"scale", U::kTime, "the minimum duration"}}},
      {K::kEmpirical,
       "empirical",
       "draws uniformly from samples read from a file (key 'file': one duration per line, "
       "seconds or with a unit; '#' starts a comment)",
       {}},
      {K::kStraggler,
       "straggler",
       "a base distribution (key 'base') slowed by 'factor' with probability 'p', and always for "
       "the workers listed in 'slow_workers'",
       {{"p", U::kProbability, "probability that a task is slowed", 0.0},
        {"factor", U::kNumber, "slow-down factor (>= 1)"}}},
  };
  return families;
}

LatencyDistribution LatencyDistribution::make(LatencyKind kind,
                                              const std::map<std::string, double>& params) {
  LatencyDistribution d;
  d.kind_ = kind;
  const auto nonneg = [](double v) { return v >= 0.0 && std::isfinite(v); };
  const auto positive = [](double v) { return v > 0.0 && std::isfinite(v); };
  switch (kind) {
    case LatencyKind::kConstant:
      d.a_ = param(params, "value");
      require(nonneg(d.a_), "value", ">= 0");
      break;
    case LatencyKind::kUniform:
      d.a_ = param(params, "min");
      d.b_ = param(params, "max");
      require(nonneg(d.a_), "min", ">= 0");
      require(nonneg(d.b_) && d.b_ >= d.a_, "max", ">= min");
      break;
    case LatencyKind::kExponential:
      d.a_ = param(params, "mean");
      require(positive(d.a_), "mean", "> 0");
      break;
    case LatencyKind::kShiftedExponential:
      d.a_ = param(params, "shift");
      d.b_ = param(params, "mean");
      require(nonneg(d.a_), "shift", ">= 0");
      require(positive(d.b_), "mean", "> 0");
      break;
    case LatencyKind::kNormal:
      d.a_ = param(params, "mean");
      d.b_ = param(params, "stddev");
      require(nonneg(d.a_), "mean", ">= 0");
      require(nonneg(d.b_), "stddev", ">= 0");
      require(d.a_ > 0.0 || d.b_ > 0.0, "mean", "> 0 when stddev is 0");
      break;
    case LatencyKind::kLognormal:
      d.a_ = param(params, "median");
      d.b_ = param(params, "sigma");
      require(positive(d.a_), "median", "> 0");
      require(nonneg(d.b_), "sigma", ">= 0");
      break;
    case LatencyKind::kGamma:
    case LatencyKind::kWeibull:
    case LatencyKind::kPareto:
      d.a_ = param(params, "shape");
      d.b_ = param(params, kind == LatencyKind::kGamma ? "mean" : "scale");
      require(positive(d.a_), "shape", "> 0");
      require(positive(d.b_), kind == LatencyKind::kGamma ? "mean" : "scale", "> 0");
      break;
    case LatencyKind::kEmpirical:
    case LatencyKind::kStraggler:
      throw std::invalid_argument("empirical and straggler distributions have their own builders");
  }
  return d;
}

LatencyDistribution LatencyDistribution::empirical(std::vector<double> samples) {
  if (samples.empty()) throw std::invalid_argument("an empirical distribution needs samples");
  for (double s : samples)
    if (!(s >= 0.0 && std::isfinite(s)))
      throw std::invalid_argument("empirical samples must be finite and >= 0");
  LatencyDistribution d;
  d.kind_ = LatencyKind::kEmpirical;
  d.samples_ = std::move(samples);
  return d;
}

LatencyDistribution LatencyDistribution::straggler(LatencyDistribution base, double p,
                                                   double factor,
                                                   std::vector<std::uint64_t> slow_workers) {
  require(p >= 0.0 && p <= 1.0, "p", "between 0 and 1");
  require(factor >= 1.0 && std::isfinite(factor), "factor", ">= 1");
  LatencyDistribution d;
  d.kind_ = LatencyKind::kStraggler;
  d.a_ = p;
  d.b_ = factor;
  d.base_ = std::make_shared<const LatencyDistribution>(std::move(base));
  std::sort(slow_workers.begin(), slow_workers.end());
  d.slow_workers_ = std::move(slow_workers);
  return d;
}

bool LatencyDistribution::slowed_always(std::uint64_t who) const {
  return std::binary_search(slow_workers_.begin(), slow_workers_.end(), who);
}

double LatencyDistribution::sample_seconds(RandomStream& rng, std::uint64_t who) const {
  switch (kind_) {
    case LatencyKind::kConstant:
      return a_;  // No draw: a constant never consumes randomness.
    case LatencyKind::kUniform:
      return a_ + (b_ - a_) * rng.uniform01();
    case LatencyKind::kExponential:
      return rng.exponential(a_);
    case LatencyKind::kShiftedExponential:
      return a_ + rng.exponential(b_);
    case LatencyKind::kNormal:
      for (;;) {
        const double x = a_ + b_ * rng.standard_normal();
        if (x >= 0.0) return x;
      }
    case LatencyKind::kLognormal:
      return a_ * std::exp(b_ * rng.standard_normal());
    case LatencyKind::kGamma:
      return rng.gamma(a_, b_ / a_);
    case LatencyKind::kWeibull:
      return b_ * std::pow(-std::log(rng.uniform_open01()), 1.0 / a_);
    case LatencyKind::kPareto:
      return b_ * std::pow(rng.uniform_open01(), -1.0 / a_);
    case LatencyKind::kEmpirical:
      return samples_[rng.uniform_below(samples_.size())];
    case LatencyKind::kStraggler: {
      const double x = base_->sample_seconds(rng, who);
      // The coin is always tossed, so a listed slow worker's stream stays aligned with the others'.
      const bool unlucky = rng.uniform01() < a_;
      return (unlucky || slowed_always(who)) ? x * b_ : x;
    }
  }
  return 0.0;
}

double LatencyDistribution::mean(std::uint64_t who) const {
  switch (kind_) {
    case LatencyKind::kConstant:
      return a_;
    case LatencyKind::kUniform:
      return 0.5 * (a_ + b_);
    case LatencyKind::kExponential:
      return a_;
    case LatencyKind::kShiftedExponential:
      return a_ + b_;
    case LatencyKind::kNormal: {
      if (b_ == 0.0) return a_;
      const double alpha = -a_ / b_;
      return a_ + b_ * normal_pdf(alpha) / normal_upper_tail(alpha);
    }
    case LatencyKind::kLognormal:
      return a_ * std::exp(0.5 * b_ * b_);
    case LatencyKind::kGamma:
      return b_;
    case LatencyKind::kWeibull:
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case LatencyKind::kPareto:
      return a_ > 1.0 ? a_ * b_ / (a_ - 1.0) : kInf;
    case LatencyKind::kEmpirical: {
      double sum = 0.0;
      for (double s : samples_) sum += s;
      return sum / static_cast<double>(samples_.size());
    }
    case LatencyKind::kStraggler:
      return base_->mean(who) * (slowed_always(who) ? b_ : 1.0 + a_ * (b_ - 1.0));
  }
  return 0.0;
}

double LatencyDistribution::second_moment(std::uint64_t who) const {
  switch (kind_) {
    case LatencyKind::kEmpirical: {
      double sum = 0.0;
      for (double s : samples_) sum += s * s;
      return sum / static_cast<double>(samples_.size());
    }
    case LatencyKind::kStraggler: {
      const double base2 = base_->second_moment(who);
      return base2 * (slowed_always(who) ? b_ * b_ : 1.0 + a_ * (b_ * b_ - 1.0));
    }
    default: {
      const double m = mean(who);
      return variance(who) + m * m;
    }
  }
}

double LatencyDistribution::variance(std::uint64_t who) const {
  switch (kind_) {
    case LatencyKind::kConstant:
      return 0.0;
    case LatencyKind::kUniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case LatencyKind::kExponential:
      return a_ * a_;
    case LatencyKind::kShiftedExponential:
      return b_ * b_;
    case LatencyKind::kNormal: {
      if (b_ == 0.0) return 0.0;
      const double alpha = -a_ / b_;
      const double lambda = normal_pdf(alpha) / normal_upper_tail(alpha);
      return b_ * b_ * (1.0 + alpha * lambda - lambda * lambda);
    }
    case LatencyKind::kLognormal: {
      const double s2 = b_ * b_;
      return (std::exp(s2) - 1.0) * a_ * a_ * std::exp(s2);
    }
    case LatencyKind::kGamma:
      return b_ * b_ / a_;
    case LatencyKind::kWeibull: {
      const double g1 = std::tgamma(1.0 + 1.0 / a_);
      return b_ * b_ * (std::tgamma(1.0 + 2.0 / a_) - g1 * g1);
    }
    case LatencyKind::kPareto:
      return a_ > 2.0 ? b_ * b_ * a_ / ((a_ - 1.0) * (a_ - 1.0) * (a_ - 2.0)) : kInf;
    case LatencyKind::kEmpirical:
    case LatencyKind::kStraggler: {
      const double m = mean(who);
      return second_moment(who) - m * m;
    }
  }
  return 0.0;
}

}  // namespace sgdsim
