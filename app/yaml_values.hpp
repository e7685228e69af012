#pragma once
// Typed reading of YAML values with positioned errors: integers, reals, booleans, choices, and
// quantities with units. Each reader fails through LoadContext::fail at the value's position.

#include <cstdint>
#include <string>
#include <vector>

#include "app/scenario_keys.hpp"
#include "sim/cluster/latency.hpp"

namespace sgdsim {

/// The text of a scalar; fails for maps, lists and empty values. `what` describes the expectation.
const std::string& scalar_text(const YamlNode& node, const LoadContext& ctx, const char* what);

/// A whole number in [min, max].
std::int64_t read_integer(const YamlNode& node, const LoadContext& ctx, std::int64_t min,
                          std::int64_t max);

/// A 64-bit unsigned whole number (seeds).
std::uint64_t read_u64(const YamlNode& node, const LoadContext& ctx);

/// A real number in [min, max].
double read_real(const YamlNode& node, const LoadContext& ctx, double min, double max);

/// true or false.
bool read_bool(const YamlNode& node, const LoadContext& ctx);

/// One of `choices`, with a suggestion when it is close to one.
std::string read_choice(const YamlNode& node, const LoadContext& ctx,
                        const std::vector<std::string>& choices);

/// A duration in seconds ("2ms"); `positive` refuses 0.
double read_duration(const YamlNode& node, const LoadContext& ctx, bool positive = false);

/// A size in bytes ("4KiB").
std::uint64_t read_bytes(const YamlNode& node, const LoadContext& ctx);

/// A bandwidth in bytes per second ("10Gbit/s", "inf").
double read_bandwidth(const YamlNode& node, const LoadContext& ctx);

/// A latency distribution: a duration for a constant, or a map {dist: NAME, PARAM: VALUE, ...}.
/// Stragglers' `slow_workers` must be below `workers`.
LatencyDistribution read_distribution(const YamlNode& node, const LoadContext& ctx,
                                      std::uint32_t workers);

/// Fails at the first key of `map` that is not in `allowed`, with a suggestion.
void reject_unknown_keys(const YamlNode& map, const LoadContext& ctx,
                         const std::vector<std::string>& allowed, const std::string& where);

}  // namespace sgdsim
