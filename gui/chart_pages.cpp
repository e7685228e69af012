#include "gui/chart_pages.hpp"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "gui/chart_style.hpp"

namespace sgdsim {

QChartView* ChartPage::chartToExport() const {
  return last_clicked_ ? last_clicked_ : views_.front();
}

QChartView* ChartPage::addView() {
  auto* view = new QChartView(this);
  view->setRenderHint(QPainter::Antialiasing);
  view->setToolTip(tr("Click to choose this chart for File \u25b8 Export chart"));
  view->viewport()->installEventFilter(this);
  views_.push_back(view);
  return view;
}

void ChartPage::replaceChart(QChartView* view, std::unique_ptr<QChart> chart) {
  QChart* old = view->chart();
  view->setChart(chart.release());  // Takes the new chart, gives the old one back.
  delete old;
}

bool ChartPage::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::MouseButtonPress)
    for (QChartView* view : views_)
      if (view->viewport() == watched) last_clicked_ = view;
  return QWidget::eventFilter(watched, event);
}

ConvergencePage::ConvergencePage(QWidget* parent)
    : ChartPage(parent), x_axis_(new QComboBox), log_y_(new QCheckBox(tr("log scale"))) {
  x_axis_->addItem(tr("time"), static_cast<int>(XMeasure::kTime));
  x_axis_->addItem(tr("updates"), static_cast<int>(XMeasure::kUpdates));
  x_axis_->addItem(tr("epochs"), static_cast<int>(XMeasure::kEpochs));
  x_axis_->setObjectName("xAxis");
  log_y_->setObjectName("logScale");
  view_ = addView();
  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Loss against")));
  controls->addWidget(x_axis_);
  controls->addWidget(log_y_);
  controls->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(view_, 1);
  connect(x_axis_, &QComboBox::currentIndexChanged, this, &ConvergencePage::redraw);
  connect(log_y_, &QCheckBox::toggled, this, &ConvergencePage::redraw);
}

void ConvergencePage::setRuns(const std::vector<RunData>& runs) {
  runs_ = runs;
  redraw();
}

void ConvergencePage::redraw() {
  ConvergenceOptions options;
  options.x = static_cast<XMeasure>(x_axis_->currentData().toInt());
  options.log_y = log_y_->isChecked();
  replaceChart(view_, make_convergence_chart(runs_, options));
}

StalenessPage::StalenessPage(QWidget* parent) : ChartPage(parent), run_choice_(new QComboBox) {
  run_choice_->setObjectName("activityRun");
  staleness_ = addView();
  activity_ = addView();
  rounds_ = addView();
  auto* choice = new QHBoxLayout;
  choice->addWidget(new QLabel(tr("Workers of")));
  choice->addWidget(run_choice_, 1);
  auto* layout = new QGridLayout(this);
  layout->addWidget(staleness_, 1, 0);
  layout->addLayout(choice, 0, 1);
  layout->addWidget(activity_, 1, 1);
  layout->addWidget(rounds_, 2, 0, 1, 2);
  layout->setRowStretch(1, 3);
  layout->setRowStretch(2, 2);
  connect(run_choice_, &QComboBox::currentIndexChanged, this, &StalenessPage::showActivity);
}

void StalenessPage::setRuns(const std::vector<RunData>& runs) {
  runs_ = runs;
  replaceChart(staleness_, make_staleness_chart(runs_));
  replaceChart(rounds_, make_rounds_chart(runs_));
  const QSignalBlocker quiet(run_choice_);
  run_choice_->clear();
  for (const RunData& run : runs_) run_choice_->addItem(QString::fromStdString(run.name));
  showActivity(0);
}

void StalenessPage::showActivity(int run_index) {
  if (run_index < 0 || static_cast<std::size_t>(run_index) >= runs_.size()) {
    replaceChart(activity_, new_chart(tr("What each worker did")));
    return;
  }
  replaceChart(activity_, make_activity_chart(runs_[static_cast<std::size_t>(run_index)]));
}

NetworkPage::NetworkPage(QWidget* parent) : ChartPage(parent) {
  view_ = addView();
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(view_);
}

void NetworkPage::setRuns(const std::vector<RunData>& runs) {
  replaceChart(view_, make_network_chart(runs));
}

}  // namespace sgdsim
