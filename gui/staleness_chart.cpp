// The staleness histogram, with the geometric law of asynchronous SGD on exponential compute times.

#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QLineSeries>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "gui/chart_style.hpp"
#include "gui/charts.hpp"

namespace sgdsim {
namespace {

/// Bars drawn at most; a longer tail is gathered into the last.
constexpr std::size_t kMaxBars = 40;
/// The histogram is drawn up to where this share of every run's gradients is covered.
constexpr double kCoverage = 0.999;

/// How many bars show every run's histogram up to kCoverage, at most kMaxBars.
std::size_t bar_count(const std::vector<RunData>& runs) {
  std::size_t bars = 1;
  for (const RunData& run : runs) {
    const std::vector<double>& h = run.staleness_histogram;
    const double total = std::accumulate(h.begin(), h.end(), 0.0);
    double covered = 0.0;
    std::size_t k = 0;
    while (k < h.size() && covered < kCoverage * total) covered += h[k++];
    // One more bar shows that the tail goes on.
    bars = std::max(bars, k < h.size() ? k + 1 : k);
  }
  return std::min(bars, kMaxBars);
}

/// True when the run's staleness should follow the geometric law: asynchronous updates with
/// exponential (memoryless) compute times.
bool follows_geometric_law(const RunData& run) {
  return run.algorithm == "async" && run.compute_law == "exponential" && run.workers > 0;
}

/// The law's probabilities for staleness 0 .. bars-1, the last one the tail P(tau >= bars-1) when
/// `gathered`.
std::vector<double> geometric_law(unsigned workers, std::size_t bars, bool gathered) {
  const double p = 1.0 / workers;
  std::vector<double> law;
  for (std::size_t k = 0; k < bars; ++k) {
    const double tail = std::pow(1.0 - p, static_cast<double>(k));  // P(tau >= k)
    law.push_back(gathered && k + 1 == bars ? tail : p * tail);
  }
  return law;
}

}  // namespace

std::unique_ptr<QChart> make_staleness_chart(const std::vector<RunData>& runs) {
  std::unique_ptr<QChart> chart = new_chart("Staleness of applied gradients");
  const bool any = std::any_of(runs.begin(), runs.end(),
                               [](const RunData& r) { return !r.staleness_histogram.empty(); });
  if (!any) {
    mark_empty(*chart, "no run counted staleness");
    return chart;
  }
  const std::size_t bars = bar_count(runs);
  bool gathered = false;
  for (const RunData& run : runs) gathered = gathered || run.staleness_histogram.size() > bars;

  auto* histogram = new QBarSeries;
  std::vector<QLineSeries*> laws;
  double top = 0.0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunData& run = runs[i];
    const std::vector<double>& h = run.staleness_histogram;
    if (h.empty()) continue;
    const double total = std::accumulate(h.begin(), h.end(), 0.0);
    auto* set = new QBarSet(QString::fromStdString(run.name));
    set->setColor(run_color(i));
    set->setBorderColor(run_color(i));
    for (std::size_t k = 0; k < bars; ++k) {
      double count = k < h.size() ? h[k] : 0.0;
      if (k + 1 == bars && gathered)
        count = std::accumulate(h.begin() + static_cast<std::ptrdiff_t>(std::min(k, h.size())),
                                h.end(), 0.0);
      const double fraction = total > 0 ? count / total : 0.0;
      set->append(fraction);
      top = std::max(top, fraction);
    }
    histogram->append(set);
    if (!follows_geometric_law(run)) continue;
    auto* law = new QLineSeries;
    law->setName(QString::fromStdString(run.name) +
                 QString(": geometric law, P = %1").arg(run.workers));
    QPen pen(run_color(i).darker(140));
    pen.setWidthF(2.5);
    law->setPen(pen);
    law->setPointsVisible(true);
    const std::vector<double> p = geometric_law(run.workers, bars, gathered);
    for (std::size_t k = 0; k < p.size(); ++k) {
      law->append(static_cast<double>(k), p[k]);
      top = std::max(top, p[k]);
    }
    laws.push_back(law);
  }
  chart->addSeries(histogram);
  // A value axis rather than one label per bar: 40 labels do not fit a chart in a tab.
  auto* x_axis = new QValueAxis;
  x_axis->setRange(-0.5, static_cast<double>(bars) - 0.5);
  x_axis->setLabelFormat("%.0f");
  x_axis->setTickType(QValueAxis::TicksDynamic);
  x_axis->setTickAnchor(0.0);
  x_axis->setTickInterval(bars <= 10 ? 1.0 : bars <= 25 ? 2.0 : 5.0);
  x_axis->setTitleText(gathered ? QString("staleness k (the last bar: %1 or more)").arg(bars - 1)
                                : QString("staleness k (updates between read and apply)"));
  chart->addAxis(x_axis, Qt::AlignBottom);
  histogram->attachAxis(x_axis);
  QValueAxis* y_axis =
      add_value_axis(*chart, "fraction of gradients", Qt::AlignLeft, 0.0, std::min(1.0, top * 1.1));
  histogram->attachAxis(y_axis);
  for (QLineSeries* law : laws) {
    chart->addSeries(law);
    law->attachAxis(x_axis);
    law->attachAxis(y_axis);
  }
  return chart;
}

}  // namespace sgdsim
