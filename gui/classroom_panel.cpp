#include "gui/classroom_panel.hpp"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QLineSeries>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "gui/charts.hpp"

namespace sgdsim {
namespace {

/// How long knob changes settle before a run starts (a slider drag is many changes).
constexpr int kDebounceMs = 150;
/// The alpha of the previous run's lines and bars.
constexpr int kFadedAlpha = 70;
const char* const kErrorStyle = "color: #b00020;";

/// Turns the lines and bars of every run whose name starts with `prefix` pale.
void fade_runs(QChart& chart, const QString& prefix) {
  for (QAbstractSeries* series : chart.series()) {
    if (auto* line = qobject_cast<QLineSeries*>(series)) {
      if (!line->name().startsWith(prefix)) continue;
      QPen pen = line->pen();
      QColor color = pen.color();
      color.setAlpha(kFadedAlpha);
      pen.setColor(color);
      line->setPen(pen);
    } else if (auto* bars = qobject_cast<QBarSeries*>(series)) {
      for (QBarSet* set : bars->barSets()) {
        if (!set->label().startsWith(prefix)) continue;
        QColor color = set->color();
        color.setAlpha(kFadedAlpha);
        set->setColor(color);
        set->setBorderColor(color);
      }
    }
  }
}

/// Adds the row `label`: `slider` and `spin` side by side, in a widget of their own (which
/// knobChanged enables or not).
void add_row(QFormLayout* form, const QString& label, QSlider* slider, QWidget* spin) {
  auto* row = new QWidget;
  auto* row_layout = new QHBoxLayout(row);
  row_layout->setContentsMargins(0, 0, 0, 0);
  row_layout->addWidget(slider, 1);
  row_layout->addWidget(spin);
  form->addRow(label, row);
}

/// Shows `chart` in `view`, deleting the chart it replaces.
void replace_chart(QChartView* view, std::unique_ptr<QChart> chart) {
  QChart* old = view->chart();
  view->setChart(chart.release());
  delete old;
}

}  // namespace

ClassroomPanel::ClassroomPanel(QWidget* parent)
    : QWidget(parent),
      algorithm_(new QComboBox),
      scenario_(new QLabel),
      status_(new QLabel),
      convergence_(new QChartView),
      staleness_(new QChartView),
      controller_(std::make_unique<RunController>()) {
  algorithm_->setObjectName("algorithm");
  for (const ClassroomAlgorithm& a : classroom_algorithms())
    algorithm_->addItem(QString::fromStdString(a.title), QString::fromStdString(a.name));
  auto* form = new QFormLayout;
  form->addRow(tr("Algorithm"), algorithm_);
  workers_ = addIntKnob(form, tr("Workers"), "workers", 1, 64);
  straggler_p_ = addRealKnob(form, tr("Straggler probability"), "stragglerP", 0.0, 0.5, 0.01, 2);
  straggler_factor_ =
      addRealKnob(form, tr("Straggler slowdown"), "stragglerFactor", 1.0, 20.0, 0.5, 1);
  backup_workers_ = addIntKnob(form, tr("Backup workers"), "backupWorkers", 0, 63);
  staleness_bound_ = addIntKnob(form, tr("Staleness bound"), "stalenessBound", 0, 20);
  step_size_ = addRealKnob(form, tr("Step size"), "stepSize", 0.001, 5.0, 0.001, 3);
  qsgd_levels_ = addIntKnob(form, tr("QSGD levels"), "qsgdLevels", 1, 64);
  connect(algorithm_, &QComboBox::currentIndexChanged, this, &ClassroomPanel::knobChanged);

  auto* again = new QPushButton(tr("Run again"));
  again->setObjectName("runAgain");
  connect(again, &QPushButton::clicked, this, &ClassroomPanel::rerun);
  for (QLabel* label : {scenario_, status_}) label->setWordWrap(true);
  status_->setObjectName("classroomStatus");
  status_->setText(tr("Turn a knob: the scenario runs again and the charts redraw."));
  auto* knobs_box = new QGroupBox(tr("Knobs"));
  knobs_box->setLayout(form);
  auto* side = new QVBoxLayout;
  side->addWidget(scenario_);
  side->addWidget(knobs_box);
  side->addWidget(again);
  side->addWidget(status_);
  side->addStretch();
  auto* charts = new QVBoxLayout;
  for (QChartView* view : {convergence_, staleness_}) {
    view->setRenderHint(QPainter::Antialiasing);
    charts->addWidget(view, 1);
  }
  auto* layout = new QHBoxLayout(this);
  layout->addLayout(side);
  layout->addLayout(charts, 1);

  debounce_.setSingleShot(true);
  debounce_.setInterval(kDebounceMs);
  connect(&debounce_, &QTimer::timeout, this, &ClassroomPanel::rerun);
  connect(controller_.get(), &RunController::finished, this, [this](const QString& directory) {
    if (!runEnded()) runFinished(directory);
  });
  connect(controller_.get(), &RunController::failed, this, [this](const QString& message) {
    if (runEnded()) return;
    status_->setText(message);
    status_->setStyleSheet(kErrorStyle);
    emit rerunFailed(message);
  });
  connect(controller_.get(), &RunController::cancelled, this, [this] { runEnded(); });

  loading_ = true;
  setKnobs({});
  loading_ = false;
  debounce_.stop();
  scenario_->setText(tr("Built-in scenario: 8 workers, logistic regression, 300 updates."));
  redraw();
}

ClassroomPanel::~ClassroomPanel() = default;

QSpinBox* ClassroomPanel::addIntKnob(QFormLayout* form, const QString& label, const char* name,
                                     int low, int high) {
  auto* spin = new QSpinBox;
  spin->setObjectName(name);
  spin->setRange(low, high);
  auto* slider = new QSlider(Qt::Horizontal);
  slider->setObjectName(QString(name) + "Slider");
  slider->setRange(low, high);
  connect(slider, &QSlider::valueChanged, spin, &QSpinBox::setValue);
  connect(spin, &QSpinBox::valueChanged, slider, [slider](int value) {
    const QSignalBlocker quiet(slider);
    slider->setValue(value);
  });
  connect(spin, &QSpinBox::valueChanged, this, &ClassroomPanel::knobChanged);
  add_row(form, label, slider, spin);
  return spin;
}

QDoubleSpinBox* ClassroomPanel::addRealKnob(QFormLayout* form, const QString& label,
                                            const char* name, double low, double high, double step,
                                            int decimals) {
  auto* spin = new QDoubleSpinBox;
  spin->setObjectName(name);
  spin->setRange(low, high);
  spin->setSingleStep(step);
  spin->setDecimals(decimals);
  auto* slider = new QSlider(Qt::Horizontal);
  slider->setObjectName(QString(name) + "Slider");
  slider->setRange(0, static_cast<int>(std::lround((high - low) / step)));
  connect(slider, &QSlider::valueChanged, spin,
          [spin, low, step](int tick) { spin->setValue(low + tick * step); });
  connect(spin, &QDoubleSpinBox::valueChanged, slider, [slider, low, step](double value) {
    const QSignalBlocker quiet(slider);
    slider->setValue(static_cast<int>(std::lround((value - low) / step)));
  });
  connect(spin, &QDoubleSpinBox::valueChanged, this, &ClassroomPanel::knobChanged);
  add_row(form, label, slider, spin);
  return spin;
}

ClassroomKnobs ClassroomPanel::knobs() const {
  ClassroomKnobs k;
  k.algorithm = algorithm_->currentData().toString().toStdString();
  k.workers = workers_->value();
  k.straggler_p = straggler_p_->value();
  k.straggler_factor = straggler_factor_->value();
  k.backup_workers = backup_workers_->value();
  k.staleness_bound = staleness_bound_->value();
  k.step_size = step_size_->value();
  k.qsgd_levels = qsgd_levels_->value();
  return k;
}

void ClassroomPanel::setKnobs(const ClassroomKnobs& knobs) {
  const bool was_loading = loading_;
  loading_ = true;
  int index = algorithm_->findData(QString::fromStdString(knobs.algorithm));
  if (index < 0) {
    // The scenario's own algorithm, not one of the knob's: kept as it is.
    algorithm_->addItem(tr("as in the scenario (%1)").arg(QString::fromStdString(knobs.algorithm)),
                        QString::fromStdString(knobs.algorithm));
    index = algorithm_->count() - 1;
  }
  algorithm_->setCurrentIndex(index);
  workers_->setValue(knobs.workers);
  straggler_p_->setValue(knobs.straggler_p);
  straggler_factor_->setValue(knobs.straggler_factor);
  backup_workers_->setMaximum(std::max(0, knobs.workers - 1));
  backup_workers_->setValue(knobs.backup_workers);
  staleness_bound_->setValue(knobs.staleness_bound);
  step_size_->setValue(knobs.step_size);
  qsgd_levels_->setValue(knobs.qsgd_levels);
  loading_ = was_loading;
  knobChanged();
}

void ClassroomPanel::setScenario(const QString& path, const Scenario& scenario) {
  std::ifstream in(path.toStdString());
  std::ostringstream text;
  text << in.rdbuf();
  auto [base, k] = classroom_of(text.str(), path.toStdString(), scenario);
  base_ = std::move(base);
  // A run of the scenario before goes to waste; the charts start afresh.
  if (controller_->running()) {
    after_ = After::kDiscard;
    controller_->cancel();
  }
  current_.clear();
  previous_.clear();
  loading_ = true;
  setKnobs(k);
  loading_ = false;
  debounce_.stop();
  scenario_->setText(tr("Scenario: %1").arg(QString::fromStdString(scenario.name)));
  scenario_->setToolTip(path);
  redraw();
}

void ClassroomPanel::knobChanged() {
  const std::string a = algorithm_->currentData().toString().toStdString();
  backup_workers_->parentWidget()->setEnabled(a == "backup");
  staleness_bound_->parentWidget()->setEnabled(a == "ssp");
  qsgd_levels_->parentWidget()->setEnabled(a == "qsgd");
  step_size_->parentWidget()->setEnabled(base_.learns);
  if (loading_) return;
  backup_workers_->setMaximum(std::max(0, workers_->value() - 1));
  debounce_.start();
}

void ClassroomPanel::rerun() {
  debounce_.stop();
  if (controller_->running()) {
    after_ = After::kRerun;
    controller_->cancel();
    status_->setText(tr("Stopping the run a newer change supersedes\u2026"));
    return;
  }
  const ClassroomKnobs k = knobs();
  std::optional<Scenario> scenario;
  QString error;
  if (!folder_.isValid())
    error = tr("No temporary folder for the runs: %1").arg(folder_.errorString());
  try {
    if (error.isEmpty())
      scenario = load_scenario_text(base_.text, base_.file, classroom_overrides(k, base_));
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  }
  if (!scenario) {
    status_->setText(error);
    status_->setStyleSheet(kErrorStyle);
    emit rerunFailed(error);
    return;
  }
  running_description_ = describe(k);
  after_ = After::kShow;
  const std::filesystem::path directory =
      std::filesystem::path(folder_.path().toStdString()) / ("run-" + std::to_string(++serial_));
  status_->setStyleSheet("");
  status_->setText(tr("Running: %1\u2026").arg(running_description_));
  controller_->start(std::move(*scenario), directory);
}

bool ClassroomPanel::runEnded() {
  const After after = after_;
  after_ = After::kShow;
  if (after == After::kRerun) {
    // Started from the event loop, once the controller has finished with its thread.
    QTimer::singleShot(0, this, &ClassroomPanel::rerun);
    return true;
  }
  if (after == After::kDiscard) {
    status_->setText(tr("Turn a knob: the scenario runs again and the charts redraw."));
    return true;
  }
  return false;
}

void ClassroomPanel::runFinished(const QString& directory) {
  std::vector<RunData> runs;
  try {
    runs = load_runs(directory.toStdString());
  } catch (const RunDataError& e) {
    status_->setText(QString::fromStdString(e.what()));
    status_->setStyleSheet(kErrorStyle);
    emit rerunFailed(status_->text());
    return;
  }
  const QString now = currentPrefix() + ": " + running_description_;
  for (RunData& run : runs)
    run.name =
        (runs.size() == 1 ? now : now + " / " + QString::fromStdString(run.name)).toStdString();
  previous_ = std::move(current_);
  for (RunData& run : previous_)
    run.name = (previousPrefix() + QString::fromStdString(run.name).mid(currentPrefix().size()))
                   .toStdString();
  current_ = std::move(runs);
  // The runs shown are in memory: the folders of older ones go.
  std::error_code ignored;
  for (const auto& entry :
       std::filesystem::directory_iterator(folder_.path().toStdString(), ignored))
    if (entry.path() != std::filesystem::path(directory.toStdString()))
      std::filesystem::remove_all(entry.path(), ignored);
  status_->setText(previous_.empty()
                       ? tr("Shown: %1.").arg(running_description_)
                       : tr("Shown: %1 (faded: the run before).").arg(running_description_));
  redraw();
  emit rerunShown();
}

void ClassroomPanel::redraw() {
  std::vector<RunData> runs = current_;
  runs.insert(runs.end(), previous_.begin(), previous_.end());
  std::unique_ptr<QChart> convergence = make_convergence_chart(runs);
  std::unique_ptr<QChart> staleness = make_staleness_chart(runs);
  for (QChart* chart : {convergence.get(), staleness.get()}) fade_runs(*chart, previousPrefix());
  replace_chart(convergence_, std::move(convergence));
  replace_chart(staleness_, std::move(staleness));
}

QString ClassroomPanel::describe(const ClassroomKnobs& k) const {
  QString text = k.algorithm == "qsgd" ? tr("sync + QSGD s=%1").arg(k.qsgd_levels)
                                       : QString::fromStdString(k.algorithm);
  if (k.algorithm == "backup") text += tr(" (%1 backups)").arg(k.backup_workers);
  if (k.algorithm == "ssp") text += tr(" (bound %1)").arg(k.staleness_bound);
  text += tr(", %1 workers").arg(k.workers);
  if (k.straggler_p > 0)
    text += tr(", %1% stragglers \u00d7%2").arg(k.straggler_p * 100).arg(k.straggler_factor);
  if (base_.learns) text += tr(", step %1").arg(k.step_size);
  return text;
}

}  // namespace sgdsim
