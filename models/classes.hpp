#pragma once
// Class labels for multi-class objectives.

#include <cmath>
#include <cstddef>

namespace sgdsim {

/// The class index of a label: -1 is class 0 (so -1/+1 data are classes 0 and 1), and a label
/// k >= 0 is class k.
inline std::size_t class_of(double label) {
  return label < 0.0 ? 0 : static_cast<std::size_t>(std::lround(label));
}

}  // namespace sgdsim
