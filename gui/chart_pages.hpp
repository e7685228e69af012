#pragma once
// The chart tabs of the main window: Convergence, Staleness & waiting, Network.

#include <QCheckBox>
#include <QComboBox>
#include <QWidget>
#include <QtCharts/QChartView>
#include <memory>
#include <vector>

#include "gui/charts.hpp"

namespace sgdsim {

/// A tab of charts rebuilt from the runs shown, one of which File ▸ Export chart saves.
class ChartPage : public QWidget {
  Q_OBJECT

 public:
  using QWidget::QWidget;

  /// Rebuilds the page's charts from `runs`.
  virtual void setRuns(const std::vector<RunData>& runs) = 0;

  /// The chart to export: the one last clicked, else the first.
  QChartView* chartToExport() const;

  /// The page's chart views, in reading order.
  const std::vector<QChartView*>& views() const { return views_; }

 protected:
  /// A new chart view of this page (the caller lays it out).
  QChartView* addView();

  /// Shows `chart` in `view`, deleting the chart it replaces.
  static void replaceChart(QChartView* view, std::unique_ptr<QChart> chart);

  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  std::vector<QChartView*> views_;
  QChartView* last_clicked_ = nullptr;
};

/// Losses and accuracy, with the x axis (time, updates, epochs) and a log scale to choose.
class ConvergencePage : public ChartPage {
  Q_OBJECT

 public:
  explicit ConvergencePage(QWidget* parent = nullptr);
  void setRuns(const std::vector<RunData>& runs) override;

 private:
  void redraw();

  std::vector<RunData> runs_;
  QComboBox* x_axis_;
  QCheckBox* log_y_;
  QChartView* view_;
};

/// The staleness histogram, each worker's time computing and waiting (for the run chosen), and
/// the length of rounds.
class StalenessPage : public ChartPage {
  Q_OBJECT

 public:
  explicit StalenessPage(QWidget* parent = nullptr);
  void setRuns(const std::vector<RunData>& runs) override;

 private:
  void showActivity(int run_index);

  std::vector<RunData> runs_;
  QComboBox* run_choice_;
  QChartView* staleness_;
  QChartView* activity_;
  QChartView* rounds_;
};

/// Bytes on each link.
class NetworkPage : public ChartPage {
  Q_OBJECT

 public:
  explicit NetworkPage(QWidget* parent = nullptr);
  void setRuns(const std::vector<RunData>& runs) override;

 private:
  QChartView* view_;
};

}  // namespace sgdsim
