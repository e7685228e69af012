#pragma once
// Run directories for the GUI's tests, made with the project's runner from small scenarios.

#include <filesystem>
#include <string>

#include "tests/support.hpp"

namespace sgdsim::test {

/// Four workers training logistic regression asynchronously on exponential compute times, so that
/// staleness follows the geometric law; a trace, rounds when synchronous, metrics every 20 updates.
inline const char* const kSmallLearningScenario = R"(name: gui-test
cluster: {workers: 4}
compute: {time: {dist: exponential, mean: 1ms}}
network: {latency: 50us, bandwidth: 10Gbit/s}
algorithm: {type: async, batch_size: 8, step_size: 0.5}
model: {type: logistic}
data: {source: classification, samples: 400, features: 5}
stop: {updates: 200}
output: {metrics_every: 20}
)";

/// Runs kSmallLearningScenario with `algorithm` (async or sync) into `dir/name`.
inline std::filesystem::path small_run(const TempDir& dir, const std::string& name,
                                       const std::string& algorithm) {
  return run_yaml(dir, kSmallLearningScenario, name, {{"algorithm.type=" + algorithm}});
}

}  // namespace sgdsim::test
