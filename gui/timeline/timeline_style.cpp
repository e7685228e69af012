#include "gui/timeline/timeline_style.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace sgdsim {
namespace {

/// The activities sgdsim's protocols write, in legend order, with their colours.
constexpr std::array<std::pair<std::string_view, QRgb>, 9> kKnown{{
    {"compute", 0x0072B2},
    {"read", 0x009E73},
    {"write", 0xF0E442},
    {"all-reduce", 0x882255},
    {"send", 0xE69F00},
    {"receive", 0x56B4E9},
    {"wait", 0xD55E00},
    {"blocked", 0xCC79A7},
    {"idle", 0xBBBBBB},
}};

/// Paul Tol's muted palette, for names sgdsim does not write.
constexpr std::array<QRgb, 8> kOther{0x332288, 0x88CCEE, 0x44AA99, 0x117733,
                                     0x999933, 0xDDCC77, 0xCC6677, 0xAA4499};

/// A unit of time: its length in nanoseconds and its symbol.
struct Unit {
  double ns;
  const char* symbol;
};
constexpr std::array<Unit, 4> kUnits{{{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1.0, "ns"}}};

}  // namespace

QColor activity_color(std::string_view name) {
  for (const auto& [known, rgb] : kKnown)
    if (known == name) return QColor::fromRgb(rgb);
  std::uint32_t hash = 2166136261u;  // FNV-1a: the same name gets the same colour on every machine
  for (char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return QColor::fromRgb(kOther[hash % kOther.size()]);
}

int activity_rank(std::string_view name) {
  for (std::size_t i = 0; i < kKnown.size(); ++i)
    if (kKnown[i].first == name) return static_cast<int>(i);
  return static_cast<int>(kKnown.size());
}

CheckpointStyle checkpoint_style(std::string_view kind) {
  if (kind.find("fail") != std::string_view::npos) return {QColor(0xA5, 0x0F, 0x15), true};
  return {QColor(0x30, 0x30, 0x30), false};
}

double tick_step(double min_ns) {
  const double decade = std::pow(10.0, std::floor(std::log10(std::max(min_ns, 1e-3))));
  for (double m : {1.0, 2.0, 5.0})
    if (m * decade >= min_ns) return m * decade;
  return 10.0 * decade;
}

QString format_tick(double ns, double step) {
  const double value = std::round(ns / step) * step;  // no rounding noise, no "-0"
  if (value == 0.0) return QStringLiteral("0");
  // Each label in the largest unit it reaches, with the decimals that the step needs, at most 3.
  for (const Unit& u : kUnits) {
    const double step_in_unit = step / u.ns;
    if (u.ns > 1.0 && (std::abs(value) < u.ns || step_in_unit < 0.001)) continue;
    const int decimals =
        std::clamp(static_cast<int>(std::ceil(-std::log10(step_in_unit) - 1e-9)), 0, 3);
    return QString::number(value / u.ns, 'f', decimals) + ' ' + u.symbol;
  }
  return {};
}

QString format_exact(std::int64_t ns) {
  const std::int64_t magnitude = std::llabs(ns);
  for (const Unit& u : kUnits) {
    const auto unit = static_cast<std::int64_t>(u.ns);
    if (magnitude < unit && unit > 1) continue;
    QString text = QString::number(magnitude / unit);
    if (unit > 1) {
      QString fraction =
          QString::number(magnitude % unit).rightJustified(static_cast<int>(std::log10(u.ns)), '0');
      while (fraction.endsWith('0')) fraction.chop(1);
      if (!fraction.isEmpty()) text += '.' + fraction;
    }
    return (ns < 0 ? "-" : "") + text + ' ' + u.symbol;
  }
  return {};
}

}  // namespace sgdsim
