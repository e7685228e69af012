#include "hogwild/update_times.hpp"

#include <chrono>
#include <stdexcept>

#include "hogwild/term_sampler.hpp"
#include "hogwild/update.hpp"

namespace sgdsim {

std::vector<double> measure_update_times(const SparseObjective& f, std::span<const double> x,
                                         std::size_t updates, std::uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  if (x.size() != f.dimension())
    throw std::invalid_argument("the parameters do not have the model's dimension");
  if (updates > 0 && f.terms() == 0) throw std::invalid_argument("the model has no term to update");
  std::vector<double> copy(x.begin(), x.end());
  const hogwild_detail::SharedModel model{copy, {}, nullptr};
  hogwild_detail::Scratch scratch;
  // The path the threads of an uninstrumented run take (hogwild.instrument: false, the setting
  // for speed), so that the times are theirs; counting runs take the slower generic path.
  const auto* linear = dynamic_cast<const SparseLinearObjective*>(&f);
  TermSampler sampler(seed, 0, f.terms(), {});
  std::vector<double> seconds;
  seconds.reserve(updates);
  for (std::size_t i = 0; i < updates; ++i) {
    const Clock::time_point start = Clock::now();
    hogwild_detail::update_term<WriteSemantics::kRacy, false>(f, linear, sampler.next(), 0.0, model,
                                                              scratch, {});
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return seconds;
}

}  // namespace sgdsim
