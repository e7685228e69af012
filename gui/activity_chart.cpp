// What the workers did with their time: per-worker activity, and the length of rounds.

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QLineSeries>
#include <QtCharts/QStackedBarSeries>
#include <algorithm>

#include "gui/chart_style.hpp"
#include "gui/charts.hpp"

namespace sgdsim {
namespace {

QBarSet* activity_set(const QString& label, const QColor& color) {
  auto* set = new QBarSet(label);
  set->setColor(color);
  set->setBorderColor(color);
  return set;
}

/// The stacked series from the trace: computing, waiting, and the rest of `duration`.
QStackedBarSeries* series_from_trace(const TraceActivity& activity, double duration,
                                     QStringList& workers) {
  QBarSet* computing = activity_set("computing", run_color(2));
  QBarSet* waiting = activity_set("waiting or blocked", run_color(1));
  QBarSet* other = activity_set("other (sending, receiving, idle)", QColor(0xBB, 0xBB, 0xBB));
  for (const TrackActivity& track : activity.tracks) {
    const double c = std::clamp(track.computing_s / duration, 0.0, 1.0);
    const double w = std::clamp(track.waiting_s / duration, 0.0, 1.0 - c);
    computing->append(c);
    waiting->append(w);
    other->append(1.0 - c - w);
    workers << QString::fromStdString(track.track);
  }
  auto* series = new QStackedBarSeries;
  series->append({computing, waiting, other});
  return series;
}

/// Without a trace: the time each worker was blocked (stale-synchronous parallel).
QStackedBarSeries* series_from_blocked(const std::vector<double>& blocked_s, double duration,
                                       QStringList& workers) {
  QBarSet* blocked = activity_set("blocked", run_color(1));
  for (std::size_t w = 0; w < blocked_s.size(); ++w) {
    blocked->append(std::clamp(blocked_s[w] / duration, 0.0, 1.0));
    workers << QString("w%1").arg(w);
  }
  auto* series = new QStackedBarSeries;
  series->append(blocked);
  return series;
}

}  // namespace

std::unique_ptr<QChart> make_activity_chart(const RunData& run) {
  std::unique_ptr<QChart> chart =
      new_chart("What each worker did: " + QString::fromStdString(run.name));
  const bool from_trace = run.activity && !run.activity->tracks.empty();
  if (!from_trace && run.blocked_s.empty()) {
    mark_empty(*chart, "no trace.json, nor time blocked, in this run");
    return chart;
  }
  // A trace cut short by output.trace_max_events covers only its own span.
  double duration = from_trace && run.activity->truncated ? run.activity->end_s : run.duration_s;
  if (duration <= 0.0) duration = 1.0;  // A run that took no time: every fraction is 0.
  QStringList workers;
  QStackedBarSeries* series = from_trace ? series_from_trace(*run.activity, duration, workers)
                                         : series_from_blocked(run.blocked_s, duration, workers);
  series->setBarWidth(0.8);
  chart->addSeries(series);
  auto* x_axis = new QBarCategoryAxis;
  x_axis->append(workers);
  x_axis->setTitleText("worker");
  if (workers.size() > 8) x_axis->setLabelsAngle(-90);  // Many names fit only upright.
  chart->addAxis(x_axis, Qt::AlignBottom);
  series->attachAxis(x_axis);
  series->attachAxis(add_value_axis(*chart,
                                    run.activity && run.activity->truncated
                                        ? "fraction of the traced time"
                                        : "fraction of the run",
                                    Qt::AlignLeft, 0.0, 1.0));
  return chart;
}

std::unique_ptr<QChart> make_rounds_chart(const std::vector<RunData>& runs) {
  std::unique_ptr<QChart> chart = new_chart("Length of each round");
  double x_high = 0.0, y_high = 0.0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].rounds.empty()) continue;
    auto* series = new QLineSeries;
    series->setName(QString::fromStdString(runs[i].name));
    QPen pen(run_color(i));
    pen.setWidthF(1.5);
    series->setPen(pen);
    for (const RoundRow& round : runs[i].rounds) {
      series->append(round.end_s, round.duration_s * 1e3);
      x_high = std::max(x_high, round.end_s);
      y_high = std::max(y_high, round.duration_s * 1e3);
    }
    chart->addSeries(series);
  }
  if (chart->series().empty()) {
    mark_empty(*chart, "no run went in rounds");
    return chart;
  }
  QValueAxis* x_axis = add_value_axis(*chart, "end of the round, " + time_axis_title(runs),
                                      Qt::AlignBottom, 0.0, x_high);
  QValueAxis* y_axis =
      add_value_axis(*chart, "round length (ms)", Qt::AlignLeft, 0.0, y_high * 1.05);
  for (QAbstractSeries* series : chart->series()) {
    series->attachAxis(x_axis);
    series->attachAxis(y_axis);
  }
  return chart;
}

}  // namespace sgdsim
