#include "gui/main_window.hpp"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <optional>

#include "app/run_directory.hpp"
#include "app/scenario.hpp"
#include "gui/chart_export.hpp"
#include "gui/classroom_panel.hpp"
#include "gui/timeline_tab.hpp"

namespace sgdsim {
namespace {

constexpr int kRecentFiles = 8;
const char* const kRecentKey = "recentFiles";

/// Loads scenario `path`; the error text (FILE:LINE:COLUMN: message) when it is invalid.
std::optional<Scenario> load_checked(const QString& path, QString& error) {
  try {
    return load_scenario(path.toStdString());
  } catch (const ScenarioError& e) {
    error = QString::fromStdString(e.what());
  } catch (const FileNotFound& e) {
    error = QString::fromStdString(e.what());
  } catch (const std::exception& e) {
    error = path + ": " + QString::fromStdString(e.what());
  }
  return std::nullopt;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      controller_(new RunController(this)),
      panel_(new RunPanel),
      tabs_(new QTabWidget),
      timeline_(new TimelineTab),
      classroom_(new ClassroomPanel) {
  setWindowTitle("sgdsim");
  resize(1400, 900);
  tabs_->addTab(timeline_, tr("Timeline"));
  pages_ = {new ConvergencePage, new StalenessPage, new NetworkPage};
  tabs_->addTab(pages_[0], tr("Convergence"));
  tabs_->addTab(pages_[1], tr("Staleness && waiting"));
  tabs_->addTab(pages_[2], tr("Network"));
  tabs_->addTab(classroom_, tr("Classroom"));
  setCentralWidget(tabs_);
  auto* dock = new QDockWidget(tr("Scenario and runs"));
  dock->setObjectName("runPanel");
  dock->setWidget(panel_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::RightDockWidgetArea, dock);
  resizeDocks({dock}, {340}, Qt::Horizontal);
  buildMenus();
  showRuns();

  connect(panel_, &RunPanel::runRequested, this, &MainWindow::startRun);
  connect(panel_, &RunPanel::cancelRequested, this, &MainWindow::cancelRun);
  connect(controller_, &RunController::progressed, panel_, &RunPanel::showProgress);
  connect(controller_, &RunController::finished, this, &MainWindow::runFinished);
  connect(controller_, &RunController::failed, this, [this](const QString& message) {
    panel_->showRunning(false);
    panel_->showProgress(tr("The run failed."));
    report(message, true);
    emit runEnded(false);
  });
  connect(controller_, &RunController::cancelled, this, [this] {
    panel_->showRunning(false);
    panel_->showProgress(tr("Cancelled: nothing was written."));
    report(tr("The run was cancelled."), false);
    emit runEnded(false);
  });
  statusBar()->showMessage(tr("Open a scenario or a run directory (File menu)."));
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &scenario\u2026"), QKeySequence::Open, this,
                  &MainWindow::chooseScenario);
  file->addAction(tr("Open &run directory\u2026"), QKeySequence(tr("Ctrl+Shift+O")), this,
                  [this] { chooseRunDirectory(false); });
  file->addAction(tr("&Add run directory (overlay)\u2026"), QKeySequence(tr("Ctrl+Shift+A")), this,
                  [this] { chooseRunDirectory(true); });
  recent_menu_ = file->addMenu(tr("Open r&ecent"));
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction(tr("&Export chart\u2026"), QKeySequence(tr("Ctrl+E")), this,
                  &MainWindow::chooseExportFile);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addAction(tr("&Run scenario"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::startRun);
  run->addAction(tr("&Cancel run"), QKeySequence(tr("Ctrl+.")), this, &MainWindow::cancelRun);
}

bool MainWindow::openPaths(const QStringList& paths) {
  QStringList directories;
  bool ok = true;
  for (const QString& path : paths) {
    if (QFileInfo(path).isDir())
      directories << path;
    else
      ok = openScenario(path) && ok;
  }
  if (!directories.isEmpty()) ok = openRuns(directories) && ok;
  return ok;
}

bool MainWindow::openScenario(const QString& path) {
  scenario_path_ = path;
  QString error;
  const std::optional<Scenario> scenario = load_checked(path, error);
  if (!scenario) {
    panel_->showScenario(path, error, false);
    statusBar()->showMessage(error);
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("Invalid scenario"), error, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // Window-modal, without blocking: a test or a script goes on.
    return false;
  }
  panel_->showScenario(path,
                       tr("Valid: %1, %2 workers, algorithm %3.")
                           .arg(QString::fromStdString(scenario->name))
                           .arg(scenario->workers)
                           .arg(QString::fromStdString(scenario->algorithm)),
                       true);
  setWindowTitle("sgdsim \u2014 " + QString::fromStdString(scenario->name));
  classroom_->setScenario(path, *scenario);
  rememberRecent(path);
  return true;
}

bool MainWindow::openRuns(const QStringList& directories, bool add) {
  std::vector<RunData> runs = add ? runs_ : std::vector<RunData>{};
  for (const QString& directory : directories) {
    try {
      for (RunData& run : load_runs(directory.toStdString())) runs.push_back(std::move(run));
    } catch (const RunDataError& e) {
      report(QString::fromStdString(e.what()), true);
      return false;
    }
  }
  runs_ = std::move(runs);
  for (const QString& directory : directories) rememberRecent(directory);
  showRuns();
  report(runs_.size() == 1 ? tr("1 run shown.") : tr("%1 runs shown.").arg(runs_.size()), false);
  return true;
}

void MainWindow::showRuns() {
  for (ChartPage* page : pages_) page->setRuns(runs_);
  const QString trace_error = timeline_->setRuns(runs_);
  if (!trace_error.isEmpty()) report(trace_error, true);
  panel_->showRuns(runs_);
  emit runsChanged();
}

bool MainWindow::startRun() {
  if (controller_->running() || scenario_path_.isEmpty()) return false;
  // Read again: the file may have been edited since it was opened.
  QString error;
  std::optional<Scenario> scenario = load_checked(scenario_path_, error);
  if (!scenario) {
    panel_->showScenario(scenario_path_, error, false);
    statusBar()->showMessage(error);
    return false;
  }
  std::filesystem::path target;
  try {
    target = fresh_run_path(runs_folder_.toStdString(), scenario->name, scenario->seed);
  } catch (const std::exception& e) {
    report(QString::fromStdString(e.what()), true);
    return false;
  }
  panel_->showRunning(true);
  panel_->showProgress(
      tr("Running %1 into %2\u2026")
          .arg(QString::fromStdString(scenario->name), QString::fromStdString(target.string())));
  controller_->start(std::move(*scenario), target);
  return true;
}

void MainWindow::runFinished(const QString& directory, const QString& summary) {
  panel_->showRunning(false);
  panel_->showProgress(summary.trimmed());
  const bool opened = openRuns({directory});
  emit runEnded(opened);
}

void MainWindow::exportCurrentChart(const QString& path) {
  QWidget* current = tabs_->currentWidget();
  if (current == timeline_) {
    save_widget_image(*timeline_->view(), path);
    return;
  }
  if (current == classroom_) {
    save_widget_image(*classroom_->convergenceView(), path);
    return;
  }
  save_widget_image(*static_cast<ChartPage*>(current)->chartToExport(), path);
}

void MainWindow::report(const QString& message, bool error) {
  panel_->showMessage(message, error);
  statusBar()->showMessage(message.section('\n', 0, 0));
}

void MainWindow::chooseScenario() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a scenario"), {},
                                                    tr("Scenarios (*.yaml *.yml);;All files (*)"));
  if (!path.isEmpty()) openScenario(path);
}

void MainWindow::chooseRunDirectory(bool add) {
  const QString path = QFileDialog::getExistingDirectory(
      this, add ? tr("Add a run directory") : tr("Open a run directory"), runs_folder_);
  if (!path.isEmpty()) openRuns({path}, add);
}

void MainWindow::chooseExportFile() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the chart"), "chart.png",
                                                    tr("PNG image (*.png);;SVG drawing (*.svg)"));
  if (path.isEmpty()) return;
  try {
    exportCurrentChart(path);
    report(tr("Saved %1").arg(path), false);
  } catch (const ExportError& e) {
    report(QString::fromStdString(e.what()), true);
  }
}

void MainWindow::rememberRecent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value(kRecentKey).toStringList();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > kRecentFiles) recent.removeLast();
  settings.setValue(kRecentKey, recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = QSettings().value(kRecentKey).toStringList();
  for (const QString& path : recent)
    recent_menu_->addAction(path, this, [this, path] { openPaths({path}); });
  recent_menu_->setEnabled(!recent.isEmpty());
}

}  // namespace sgdsim
