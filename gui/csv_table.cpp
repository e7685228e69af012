#include "gui/csv_table.hpp"

#include <charconv>
#include <fstream>

namespace sgdsim {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

}  // namespace

CsvTable::CsvTable(const std::filesystem::path& path) : path_(path) {
  std::ifstream in(path);
  if (!in) throw RunDataError(path.string() + ": cannot be read");
  std::string line;
  if (!std::getline(in, line) || line.empty())
    throw RunDataError(path.string() + ":1: no header line");
  header_ = split_fields(line);
  std::size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> fields = split_fields(line);
    if (fields.size() != header_.size())
      throw RunDataError(path.string() + ":" + std::to_string(line_number) + ": " +
                         std::to_string(fields.size()) + " fields where the header has " +
                         std::to_string(header_.size()));
    rows_.push_back(std::move(fields));
    lines_.push_back(line_number);
  }
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  throw RunDataError(path_.string() + ":1: no column '" + name + "'");
}

std::optional<double> CsvTable::number(std::size_t row, std::size_t column) const {
  const std::string& field = rows_[row][column];
  if (field.empty()) return std::nullopt;
  double value = 0.0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size())
    fail(row, "'" + field + "' is not a number (column " + header_[column] + ")");
  return value;
}

double CsvTable::required_number(std::size_t row, std::size_t column) const {
  const std::optional<double> value = number(row, column);
  if (!value) fail(row, "column " + header_[column] + " is empty");
  return *value;
}

void CsvTable::fail(std::size_t row, const std::string& message) const {
  throw RunDataError(path_.string() + ":" + std::to_string(lines_[row]) + ": " + message);
}

}  // namespace sgdsim
