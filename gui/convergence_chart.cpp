// The convergence chart: losses and accuracy against time, updates or epochs.

#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

#include "gui/chart_style.hpp"
#include "gui/charts.hpp"

namespace sgdsim {
namespace {

double x_of(const MetricsRow& row, XMeasure x) {
  switch (x) {
    case XMeasure::kUpdates:
      return row.update;
    case XMeasure::kEpochs:
      return row.epoch;
    case XMeasure::kTime:
      break;
  }
  return row.time_s;
}

QString x_title(const std::vector<RunData>& runs, XMeasure x) {
  switch (x) {
    case XMeasure::kUpdates:
      return "updates";
    case XMeasure::kEpochs:
      return "epochs";
    case XMeasure::kTime:
      break;
  }
  return time_axis_title(runs);
}

/// The smallest and largest values a series set spans.
struct Span {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void add(double v) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
  bool empty() const { return low > high; }
};

/// A series of one metrics column of `run` (rows where it is empty, or not positive on a log axis,
/// are left out), styled as the run's colour with `pen_style`.
QLineSeries* column_series(const RunData& run, std::size_t run_index, const QString& label,
                           std::optional<double> MetricsRow::*column, const ConvergenceOptions& o,
                           Qt::PenStyle pen_style, Span& xs, Span& ys) {
  auto* series = new QLineSeries;
  series->setName(QString::fromStdString(run.name) + ": " + label);
  QPen pen(run_color(run_index));
  pen.setWidthF(2.0);
  pen.setStyle(pen_style);
  series->setPen(pen);
  for (const MetricsRow& row : run.metrics) {
    const std::optional<double>& y = row.*column;
    if (!y || !std::isfinite(*y) || (o.log_y && column != &MetricsRow::test_accuracy && *y <= 0))
      continue;
    const double x = x_of(row, o.x);
    series->append(x, *y);
    xs.add(x);
    ys.add(*y);
  }
  return series;
}

}  // namespace

std::unique_ptr<QChart> make_convergence_chart(const std::vector<RunData>& runs,
                                               const ConvergenceOptions& o) {
  std::unique_ptr<QChart> chart = new_chart("Convergence");
  std::vector<QLineSeries*> losses, accuracies;
  Span xs, loss_span, accuracy_span;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunData& run = runs[i];
    if (!run.learns()) continue;
    losses.push_back(column_series(run, i, "training loss", &MetricsRow::train_loss, o,
                                   Qt::SolidLine, xs, loss_span));
    losses.push_back(
        column_series(run, i, "test loss", &MetricsRow::test_loss, o, Qt::DashLine, xs, loss_span));
    const bool has_accuracy = std::any_of(run.metrics.begin(), run.metrics.end(),
                                          [](const MetricsRow& r) { return r.test_accuracy; });
    if (has_accuracy)
      accuracies.push_back(column_series(run, i, "test accuracy", &MetricsRow::test_accuracy, o,
                                         Qt::DotLine, xs, accuracy_span));
  }
  if (losses.empty()) {
    mark_empty(*chart, "no run trained a model");
    return chart;
  }
  QValueAxis* x_axis = add_value_axis(*chart, x_title(runs, o.x), Qt::AlignBottom,
                                      xs.empty() ? 0 : xs.low, xs.empty() ? 1 : xs.high);
  QAbstractAxis* loss_axis = nullptr;
  if (o.log_y) {
    auto* axis = new QLogValueAxis;
    axis->setTitleText("loss (log scale)");
    axis->setLabelFormat("%g");
    axis->setBase(10.0);
    if (!loss_span.empty()) axis->setRange(loss_span.low * 0.9, loss_span.high * 1.1);
    chart->addAxis(axis, Qt::AlignLeft);
    loss_axis = axis;
  } else {
    const double pad = loss_span.empty() ? 0.0 : 0.05 * (loss_span.high - loss_span.low);
    loss_axis = add_value_axis(*chart, "loss", Qt::AlignLeft,
                               loss_span.empty() ? 0 : std::min(0.0, loss_span.low - pad),
                               loss_span.empty() ? 1 : loss_span.high + pad);
  }
  loss_axis->setTitleText(loss_axis->titleText() + " (solid: training, dashed: test)");
  for (QLineSeries* series : losses) {
    chart->addSeries(series);
    series->attachAxis(x_axis);
    series->attachAxis(loss_axis);
  }
  if (!accuracies.empty()) {
    QValueAxis* accuracy_axis =
        add_value_axis(*chart, "test accuracy (dotted)", Qt::AlignRight, 0.0, 1.0);
    accuracy_axis->setGridLineVisible(false);  // The loss axis's grid is the one to read.
    for (QLineSeries* series : accuracies) {
      chart->addSeries(series);
      series->attachAxis(x_axis);
      series->attachAxis(accuracy_axis);
    }
  }
  // One legend entry per run, its training loss; the axis titles tell the line styles apart.
  for (QLegendMarker* marker : chart->legend()->markers()) {
    const QString name = marker->series()->name();
    if (name.endsWith(": training loss"))
      marker->setLabel(name.chopped(static_cast<int>(QString(": training loss").size())));
    else
      marker->setVisible(false);
  }
  return chart;
}

}  // namespace sgdsim
