#pragma once
// "Did you mean ...?" for misspelt keys and names.

#include <string>
#include <vector>

namespace sgdsim {

/// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
/// plausible typo (distance at most a third of the word's length, and at least 2 allowed).
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" when there is no close candidate.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sgdsim
