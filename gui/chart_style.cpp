#include "gui/chart_style.hpp"

#include <QtCharts/QLegend>
#include <array>

namespace sgdsim {

QColor run_color(std::size_t index) {
  // Okabe and Ito's colour-blind safe palette (its yellow left out: unreadable on white).
  static const std::array<QColor, 7> palette = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00),
                                                QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                                                QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
                                                QColor(0x00, 0x00, 0x00)};
  return palette[index % palette.size()];
}

std::unique_ptr<QChart> new_chart(const QString& title) {
  auto chart = std::make_unique<QChart>();
  chart->setTitle(title);
  QFont font = chart->titleFont();
  font.setPointSizeF(font.pointSizeF() * 1.25);
  font.setBold(true);
  chart->setTitleFont(font);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setBackgroundRoundness(0);
  return chart;
}

QValueAxis* add_value_axis(QChart& chart, const QString& title, Qt::Alignment alignment, double low,
                           double high) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setLabelFormat("%g");
  if (high <= low) high = low + 1.0;
  axis->setRange(low, high);
  axis->applyNiceNumbers();  // Ticks at round values: 0, 0.2, 0.4, ... rather than at fifths.
  chart.addAxis(axis, alignment);
  return axis;
}

QString time_axis_title(const std::vector<RunData>& runs) {
  bool all_wall = !runs.empty();
  for (const RunData& run : runs) all_wall = all_wall && run.wall_time;
  return all_wall ? "wall time (s)" : "simulated time (s)";
}

void mark_empty(QChart& chart, const QString& what_is_missing) {
  chart.setTitle(chart.title() + " \u2014 " + what_is_missing);
}

}  // namespace sgdsim
