#pragma once
// Builders for the common kinds of scenario key, so each declaration in the key table is one
// call: path, help, default, range, example, and where the value goes.

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "app/scenario_keys.hpp"

namespace sgdsim {

/// "No upper limit" for integer keys.
inline constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

/// An integer key in [min, max] stored by `set`.
KeyDecl integer_key(std::string path, std::string help, std::string def, std::int64_t min,
                    std::int64_t max, std::string example,
                    std::function<void(Scenario&, std::int64_t)> set);

/// A real-number key in [min, max] stored by `set`.
KeyDecl real_key(std::string path, std::string help, std::string def, double min, double max,
                 std::string example, std::function<void(Scenario&, double)> set);

/// A true/false key stored by `set`.
KeyDecl boolean_key(std::string path, std::string help, std::string def,
                    std::function<void(Scenario&, bool)> set);

/// A key taking one of `choices`, stored by `set` as its index in `choices`.
KeyDecl choice_key(std::string path, std::string help, std::vector<std::string> choices,
                   std::string def, std::function<void(Scenario&, std::size_t)> set);

/// A latency distribution key stored in `field`.
KeyDecl distribution_key(std::string path, std::string help, std::string def, bool required,
                         std::string example, LatencyDistribution Scenario::*field);

/// `key`, also keeping where its value was written in the field `where` returns, for errors
/// that only loading what the key names can find.
KeyDecl remembering_mark(KeyDecl key, Mark& (*where)(Scenario&));

/// The keys of the algorithm, model and data sections (learning_keys.cpp).
void add_learning_keys(std::vector<KeyDecl>& keys);

/// The keys of HOGWILD!: backend, the hogwild section, matrix factorisation (hogwild_keys.cpp).
void add_hogwild_keys(std::vector<KeyDecl>& keys);

/// The keys of the sweep section (sweep_keys.cpp).
void add_sweep_keys(std::vector<KeyDecl>& keys);

}  // namespace sgdsim
