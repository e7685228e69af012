#include "app/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace sgdsim {
namespace {

/// Splits "12.5ms" into 12.5 and "ms" (spaces between allowed). Throws when no number leads.
std::pair<double, std::string> split_number(const std::string& text) {
  const char* begin = text.c_str();
  while (std::isspace(static_cast<unsigned char>(*begin))) ++begin;
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(value) || std::isalpha(static_cast<unsigned char>(*begin)))
    throw std::invalid_argument("expected a number, got '" + text + "'");
  std::string unit(end);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front()))) unit.erase(0, 1);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  return {value, unit};
}

double scaled(const std::string& text,
              const std::vector<std::pair<std::string_view, double>>& units, const char* kind,
              const char* example, bool bare_allowed) {
  const auto [value, unit] = split_number(text);
  if (unit.empty()) {
    if (bare_allowed || value == 0.0) return value;
    throw std::invalid_argument(std::string(kind) + " '" + text + "' needs a unit, such as " +
                                example);
  }
  for (const auto& [name, factor] : units)
    if (unit == name) return value * factor;
  std::string known;
  for (const auto& [name, factor] : units) known += (known.empty() ? "" : ", ") + std::string(name);
  throw std::invalid_argument("unknown " + std::string(kind) + " unit '" + unit + "' in '" + text +
                              "' (known: " + known + ")");
}

}  // namespace

double parse_real(const std::string& text) {
  const auto [value, unit] = split_number(text);
  if (!unit.empty()) throw std::invalid_argument("expected a number, got '" + text + "'");
  return value;
}

double parse_duration(const std::string& text) {
  static const std::vector<std::pair<std::string_view, double>> units = {
      {"ns", 1e-9}, {"us", 1e-6},  {"µs", 1e-6}, {"ms", 1e-3},
      {"s", 1.0},   {"min", 60.0}, {"h", 3600.0}};
  const double s = scaled(text, units, "duration", "2ms", false);
  if (s < 0.0) throw std::invalid_argument("a duration cannot be negative: '" + text + "'");
  return s;
}

std::uint64_t parse_bytes(const std::string& text) {
  static const std::vector<std::pair<std::string_view, double>> units = {
      {"B", 1.0},      {"KB", 1e3},        {"MB", 1e6},          {"GB", 1e9},
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
  const double b = scaled(text, units, "size", "4KiB", true);
  if (b < 0.0 || b != std::floor(b) || b > 1e18)
    throw std::invalid_argument("a size must be a whole, non-negative number of bytes: '" + text +
                                "'");
  return static_cast<std::uint64_t>(b);
}

double parse_bandwidth(const std::string& text) {
  if (text == "inf") return std::numeric_limits<double>::infinity();
  static const std::vector<std::pair<std::string_view, double>> units = {
      {"B/s", 1.0},     {"KB/s", 1e3},     {"MB/s", 1e6},     {"GB/s", 1e9},
      {"bit/s", 0.125}, {"Kbit/s", 125.0}, {"Mbit/s", 125e3}, {"Gbit/s", 125e6}};
  const double bw = scaled(text, units, "bandwidth", "10Gbit/s", false);
  if (!(bw > 0.0)) throw std::invalid_argument("a bandwidth must be > 0: '" + text + "'");
  return bw;
}

}  // namespace sgdsim
