#pragma once
// The LIBSVM text format: one sample per line, "LABEL INDEX:VALUE INDEX:VALUE ...", indices from 1
// and increasing; '#' starts a comment.

#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>

#include "models/dataset.hpp"

namespace sgdsim {

/// A data file is malformed; `what()` is "FILE:LINE: message".
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a LIBSVM file into a sparse dataset with max(index, min_features) features. `name` names
/// the source in errors.
Dataset read_libsvm(std::istream& in, const std::string& name, std::size_t min_features = 0);

/// Writes a dataset (dense or sparse) in LIBSVM format, with values printed to round-trip exactly.
void write_libsvm(std::ostream& out, const Dataset& data);

}  // namespace sgdsim
