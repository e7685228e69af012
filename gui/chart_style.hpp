#pragma once
// What every chart shares: the colours of runs, titles and axes.

#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>
#include <cstddef>
#include <memory>
#include <vector>

#include "gui/run_data.hpp"

namespace sgdsim {

/// The colour of the run at `index`: the same run has the same colour in every chart.
QColor run_color(std::size_t index);

/// An empty chart titled `title`, legend at the bottom, without animations (so that an exported
/// chart is drawn complete).
std::unique_ptr<QChart> new_chart(const QString& title);

/// A value axis titled `title`, added to `chart` along `alignment`, spanning [low, high].
QValueAxis* add_value_axis(QChart& chart, const QString& title, Qt::Alignment alignment, double low,
                           double high);

/// "simulated time (s)", or "wall time (s)" when every run is a real threaded one.
QString time_axis_title(const std::vector<RunData>& runs);

/// The text of `chart`'s title when none of `runs` has what it shows: says what is missing.
void mark_empty(QChart& chart, const QString& what_is_missing);

}  // namespace sgdsim
