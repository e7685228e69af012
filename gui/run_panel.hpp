#pragma once
// The side panel of the main window: the scenario opened and whether it is valid, running it
// (progress and cancel), and the headline figures of the runs shown.

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QWidget>
#include <vector>

#include "gui/run_data.hpp"

namespace sgdsim {

/// The scenario and run panel. It only displays; the main window acts on its buttons' signals.
class RunPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RunPanel(QWidget* parent = nullptr);

  /// Shows scenario `path` with `status`: what it is when valid, its error (file:line:column:
  /// message) in red when not. Run is enabled only for a valid scenario.
  void showScenario(const QString& path, const QString& status, bool valid);

  /// The scenario's status line: what it is, or its error.
  QString scenarioStatus() const { return scenario_status_->text(); }

  /// Switches between running (progress bar busy, Cancel enabled) and idle.
  void showRunning(bool running);

  /// Shows a line of progress, or how a run ended, and the part of the run done in [0, 1]; a
  /// negative `fraction` leaves the bar as it is (busy until the runner's first report).
  void showProgress(const QString& line, double fraction = -1.0);

  /// The part done that the bar shows, or a negative number while it is busy.
  double progressShown() const;

  /// Shows `message` above the runs: in red when `error`.
  void showMessage(const QString& message, bool error);

  /// Lists the headline figures of `runs`.
  void showRuns(const std::vector<RunData>& runs);

  /// The last message shown.
  QString message() const { return message_->text(); }

 signals:
  /// The Run button was pressed.
  void runRequested();
  /// The Cancel button was pressed.
  void cancelRequested();

 private:
  QLabel* scenario_;
  QLabel* scenario_status_;
  QLabel* message_;
  QPushButton* run_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLabel* progress_text_;
  QTextBrowser* facts_;
  bool scenario_valid_ = false;
};

}  // namespace sgdsim
