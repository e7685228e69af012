// Bytes on each link of the network.

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <algorithm>
#include <array>
#include <cmath>

#include "gui/chart_style.hpp"
#include "gui/charts.hpp"

namespace sgdsim {
namespace {

/// A unit of bytes that writes `largest` with at most three digits before the point.
std::pair<double, QString> byte_unit(double largest) {
  static const std::array<const char*, 5> names = {"B", "kB", "MB", "GB", "TB"};
  double scale = 1.0;
  std::size_t unit = 0;
  while (unit + 1 < names.size() && largest >= 1000.0 * scale) {
    scale *= 1000.0;
    ++unit;
  }
  return {scale, names[unit]};
}

}  // namespace

std::unique_ptr<QChart> make_network_chart(const std::vector<RunData>& runs) {
  std::unique_ptr<QChart> chart = new_chart("Bytes on each link");
  // Links in the order the runs name them, each once.
  QStringList links;
  double largest = 0.0;
  for (const RunData& run : runs)
    for (const LinkBytes& link : run.links) {
      const QString name = QString::fromStdString(link.between);
      if (!links.contains(name)) links << name;
      largest = std::max(largest, link.bytes);
    }
  if (links.empty()) {
    mark_empty(*chart, "no run crossed a network");
    return chart;
  }
  const auto [scale, unit] = byte_unit(largest);
  auto* series = new QHorizontalBarSeries;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].links.empty()) continue;
    auto* set = new QBarSet(QString::fromStdString(runs[i].name));
    set->setColor(run_color(i));
    set->setBorderColor(run_color(i));
    for (const QString& name : links) {
      const auto it = std::find_if(
          runs[i].links.begin(), runs[i].links.end(),
          [&name](const LinkBytes& l) { return QString::fromStdString(l.between) == name; });
      set->append(it == runs[i].links.end() ? 0.0 : it->bytes / scale);
    }
    series->append(set);
  }
  chart->addSeries(series);
  auto* link_axis = new QBarCategoryAxis;
  link_axis->append(links);
  link_axis->setTitleText("link");
  if (links.size() > 16) {  // Smaller names, so that one still fits beside each bar.
    QFont font = link_axis->labelsFont();
    font.setPointSizeF(links.size() > 32 ? 5.0 : 7.0);
    link_axis->setLabelsFont(font);
  }
  chart->addAxis(link_axis, Qt::AlignLeft);
  series->attachAxis(link_axis);
  series->attachAxis(
      add_value_axis(*chart, "bytes (" + unit + ")", Qt::AlignBottom, 0.0, largest / scale * 1.05));
  return chart;
}

}  // namespace sgdsim
