#pragma once
// A small reader for the CSV files of a run directory: a header line, then rows of plain fields
// (no quoting: sgdsim writes numbers and names only).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sgdsim {

/// A file of a run directory is missing or malformed. `what()` is "FILE:LINE: message", or
/// "FILE: message" when no line is at fault.
class RunDataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A CSV file read whole: its column names and its rows, every row as wide as the header.
class CsvTable {
 public:
  /// Reads `path`; RunDataError when it cannot be read, has no header, or a row has the wrong
  /// number of fields (with the file and line).
  explicit CsvTable(const std::filesystem::path& path);

  /// The index of column `name`; RunDataError naming the file when there is no such column.
  std::size_t column(const std::string& name) const;

  /// Rows of data (the header excluded).
  std::size_t rows() const { return rows_.size(); }

  /// Field `column` of row `row` as a number; nullopt for an empty field, RunDataError with the
  /// file and line when it is not a number.
  std::optional<double> number(std::size_t row, std::size_t column) const;

  /// Field `column` of row `row` as a number that must be there.
  double required_number(std::size_t row, std::size_t column) const;

 private:
  [[noreturn]] void fail(std::size_t row, const std::string& message) const;

  std::filesystem::path path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> lines_;  ///< The file's line number of each row.
};

}  // namespace sgdsim
