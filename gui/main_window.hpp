#pragma once
// The main window of sgdsim-gui: open scenarios and run directories, run a scenario in the
// background, and look at the runs in the Timeline, Convergence, Staleness & waiting and Network
// tabs; turn the knobs of a small scenario in the Classroom tab.

#include <QMainWindow>
#include <QMenu>
#include <QStringList>
#include <QTabWidget>
#include <vector>

#include "gui/chart_pages.hpp"
#include "gui/run_controller.hpp"
#include "gui/run_data.hpp"
#include "gui/run_panel.hpp"

namespace sgdsim {

class ClassroomPanel;
class TimelineTab;

/// The window. Every failure (a bad scenario, a malformed run directory, a failed run) is shown in
/// the run panel and the status bar, never as a crash.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  /// Opens each of `paths`: folders as run directories, shown together; a file as a scenario.
  /// Returns false when one of them could not be opened (the panel says why).
  bool openPaths(const QStringList& paths);

  /// Validates scenario `path` with the project's loader and shows it (or its error, with line and
  /// column) in the run panel. Returns whether it is valid.
  bool openScenario(const QString& path);

  /// Shows the runs of `directories` in every tab, after those already shown when `add`.
  bool openRuns(const QStringList& directories, bool add = false);

  /// Runs the scenario opened (read again from its file) in the background into a fresh
  /// NAME-seedSEED folder of the runs folder; the result opens when it is done. Returns whether
  /// it started.
  bool startRun();

  /// Cancels the run going on, if any.
  void cancelRun() { controller_->cancel(); }

  /// Where runs started here are written (default: runs/ in the working directory).
  void setRunsFolder(const QString& folder) { runs_folder_ = folder; }

  /// Shows tab `index`: 0 Timeline, 1 Convergence, 2 Staleness & waiting, 3 Network,
  /// 4 Classroom.
  void showTab(int index) { tabs_->setCurrentIndex(index); }

  /// Saves the current tab's chart (the one last clicked) as PNG or SVG; throws ExportError.
  void exportCurrentChart(const QString& path);

  /// The runs shown.
  const std::vector<RunData>& runs() const { return runs_; }

  /// The chart tabs (Convergence, Staleness & waiting, Network).
  const std::vector<ChartPage*>& chartPages() const { return pages_; }

  /// The Classroom tab: its knobs act on the scenario opened, else on a built-in one.
  ClassroomPanel* classroom() const { return classroom_; }

  /// What the run panel says of the scenario: what it is, or its error (FILE:LINE:COLUMN: ...).
  QString scenarioStatus() const { return panel_->scenarioStatus(); }

  /// The last message of the run panel: runs shown, or why they could not be.
  QString message() const { return panel_->message(); }

  /// True while a run started here goes on.
  bool running() const { return controller_->running(); }

  /// The part of the run done that the progress bar shows, or a negative number while it is busy.
  double progressShown() const { return panel_->progressShown(); }

 signals:
  /// The runs shown changed.
  void runsChanged();
  /// A run started here ended: finished (and opened), failed or cancelled.
  void runEnded(bool finished);

 private:
  void buildMenus();
  void rememberRecent(const QString& path);
  void rebuildRecentMenu();
  void showRuns();
  void report(const QString& message, bool error);
  void chooseScenario();
  void chooseRunDirectory(bool add);
  void chooseExportFile();
  void runFinished(const QString& directory, const QString& summary);

  RunController* controller_;
  RunPanel* panel_;
  QTabWidget* tabs_;
  TimelineTab* timeline_;
  ClassroomPanel* classroom_;
  std::vector<ChartPage*> pages_;
  QMenu* recent_menu_ = nullptr;
  QString scenario_path_;
  QString runs_folder_ = "runs";
  std::vector<RunData> runs_;
};

}  // namespace sgdsim
