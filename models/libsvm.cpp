#include "models/libsvm.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace sgdsim {
namespace {

/// The largest feature index, as model.dimension's largest value: a model has a parameter per
/// feature, so a larger index could never be trained on.
constexpr long long kMaxFeatureIndex = 1'000'000'000'000;

/// Parses a whole token as a finite real number, or returns false.
bool parse_number(const std::string& token, double& value) {
  if (token.empty()) return false;
  char* end = nullptr;
  errno = 0;
  value = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && errno == 0 && std::isfinite(value);
}

}  // namespace

Dataset read_libsvm(std::istream& in, const std::string& name, std::size_t min_features) {
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  std::vector<double> labels;
  std::size_t features = min_features;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const auto fail = [&](const std::string& message) {
      return DataError(fmt::format("{}:{}: {}", name, number, message));
    };
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::size_t pos = line.find_first_not_of(" \t\r");
    if (pos == std::string::npos) continue;
    const auto next_token = [&]() {
      const std::size_t end = line.find_first_of(" \t\r", pos);
      std::string token =
          line.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? line.size() : line.find_first_not_of(" \t\r", end);
      if (pos == std::string::npos) pos = line.size();
      return token;
    };
    const std::string label_text = next_token();
    double label;
    if (!parse_number(label_text, label)) throw fail("expected a label, got '" + label_text + "'");
    const auto row = static_cast<std::int64_t>(labels.size());
    labels.push_back(label);
    long long previous = 0;
    while (pos < line.size()) {
      const std::string pair = next_token();
      const auto colon = pair.find(':');
      if (colon == std::string::npos) throw fail("expected INDEX:VALUE, got '" + pair + "'");
      const std::string index_text = pair.substr(0, colon);
      char* end = nullptr;
      const long long index = std::strtoll(index_text.c_str(), &end, 10);
      if (index_text.empty() || end != index_text.c_str() + index_text.size() || index < 1)
        throw fail("feature index must be a whole number from 1, got '" + index_text + "'");
      // strtoll saturates on overflow, so this also catches indices too long to be numbers.
      if (index > kMaxFeatureIndex)
        throw fail(fmt::format("feature index {} is above {}, the most features a model may have",
                               index_text, kMaxFeatureIndex));
      if (index <= previous)
        throw fail(
            fmt::format("feature indices must increase, but {} follows {}", index, previous));
      double value;
      if (!parse_number(pair.substr(colon + 1), value))
        throw fail("expected a number after '" + index_text + ":', got '" + pair.substr(colon + 1) +
                   "'");
      previous = index;
      features = std::max(features, static_cast<std::size_t>(index));
      entries.emplace_back(row, index - 1, value);
    }
  }
  // Filled row by row, in the order read (indices increase within a row): memory follows the
  // entries, where setFromTriplets would allocate a column array as long as the largest index.
  SparseRows x(static_cast<Eigen::Index>(labels.size()), static_cast<Eigen::Index>(features));
  x.reserve(static_cast<Eigen::Index>(entries.size()));
  std::size_t k = 0;
  for (Eigen::Index row = 0; row < x.rows(); ++row) {
    x.startVec(row);
    for (; k < entries.size() && entries[k].row() == row; ++k)
      x.insertBack(row, entries[k].col()) = entries[k].value();
  }
  x.finalize();
  return Dataset::sparse(
      std::move(x),
      Eigen::Map<const Vector>(labels.data(), static_cast<Eigen::Index>(labels.size())));
}

void write_libsvm(std::ostream& out, const Dataset& data) {
  std::string line;
  for (std::size_t i = 0; i < data.size(); ++i) {
    line.clear();
    // {} prints the shortest text that reads back to the same double.
    fmt::format_to(std::back_inserter(line), "{}", data.label(i));
    const auto r = static_cast<Eigen::Index>(i);
    if (data.is_sparse()) {
      for (SparseRows::InnerIterator it(data.sparse_rows(), r); it; ++it)
        fmt::format_to(std::back_inserter(line), " {}:{}", it.index() + 1, it.value());
    } else {
      for (Eigen::Index j = 0; j < data.dense_rows().cols(); ++j)
        if (const double v = data.dense_rows()(r, j); v != 0.0)
          fmt::format_to(std::back_inserter(line), " {}:{}", j + 1, v);
    }
    line += '\n';
    out << line;
  }
}

}  // namespace sgdsim
