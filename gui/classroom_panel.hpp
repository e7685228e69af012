#pragma once
// The Classroom tab: the few knobs a lecture turns (workers, stragglers, backup workers, staleness
// bound, step size, QSGD levels, the algorithm), each change re-running a small scenario in the
// background and redrawing its convergence and staleness charts, the previous run faded behind.

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSpinBox>
#include <QString>
#include <QTemporaryDir>
#include <QTimer>
#include <QWidget>
#include <QtCharts/QChartView>
#include <memory>
#include <string>
#include <vector>

#include "app/scenario.hpp"
#include "gui/classroom_knobs.hpp"
#include "gui/run_controller.hpp"
#include "gui/run_data.hpp"

class QFormLayout;

namespace sgdsim {

/// The Classroom tab. Knob changes are debounced (150 ms); a change while a run goes cancels it
/// and runs again. Runs are written to a temporary folder removed with the tab.
class ClassroomPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ClassroomPanel(QWidget* parent = nullptr);
  ~ClassroomPanel() override;

  /// Makes the knobs act on scenario `path` (already loaded as `scenario`), setting them to its
  /// values. Starts no run.
  void setScenario(const QString& path, const Scenario& scenario);

  /// The knobs as they are set.
  ClassroomKnobs knobs() const;

  /// Sets every knob to `knobs`; like a change by hand, this re-runs after the debounce delay.
  void setKnobs(const ClassroomKnobs& knobs);

  /// Runs now with the knobs as set, cancelling a run going on.
  void rerun();

  /// The run shown, and the one before it (faded); each empty before there is one.
  const std::vector<RunData>& currentRuns() const { return current_; }
  const std::vector<RunData>& previousRuns() const { return previous_; }

  /// The convergence chart (File ▸ Export chart saves it) and the staleness chart.
  QChartView* convergenceView() const { return convergence_; }
  QChartView* stalenessView() const { return staleness_; }

  /// True while a run goes on.
  bool running() const { return controller_->running(); }

  /// The status line: what ran, or why it could not.
  QString status() const { return status_->text(); }

  /// The prefixes of the legends of the run shown and of the faded one before it.
  static QString currentPrefix() { return tr("now"); }
  static QString previousPrefix() { return tr("before"); }

 signals:
  /// A run ended and the charts show it (with the previous one faded).
  void rerunShown();
  /// A run could not start or failed; `message` says why.
  void rerunFailed(const QString& message);

 private:
  QSpinBox* addIntKnob(QFormLayout* form, const QString& label, const char* name, int low,
                       int high);
  QDoubleSpinBox* addRealKnob(QFormLayout* form, const QString& label, const char* name, double low,
                              double high, double step, int decimals);
  void knobChanged();
  /// Once a run has ended: re-runs when a newer change superseded it, or drops it. Returns
  /// whether the run is not to be shown.
  bool runEnded();
  void runFinished(const QString& directory);
  void redraw();
  QString describe(const ClassroomKnobs& knobs) const;

  ClassroomBase base_ = builtin_classroom_base();
  QComboBox* algorithm_;
  QSpinBox* workers_;
  QDoubleSpinBox* straggler_p_;
  QDoubleSpinBox* straggler_factor_;
  QSpinBox* backup_workers_;
  QSpinBox* staleness_bound_;
  QDoubleSpinBox* step_size_;
  QSpinBox* qsgd_levels_;
  QLabel* scenario_;
  QLabel* status_;
  QChartView* convergence_;
  QChartView* staleness_;
  QTimer debounce_;
  bool loading_ = false;  ///< Knobs set by the program: no re-run.
  /// What to do when the run going on ends: show it, run again (a newer change superseded it), or
  /// drop it (another scenario was opened).
  enum class After { kShow, kRerun, kDiscard } after_ = After::kShow;
  QString running_description_;  ///< What the run going on is.
  int serial_ = 0;
  std::vector<RunData> current_, previous_;
  QTemporaryDir folder_;
  // Declared after folder_, so destroyed first: its thread stops before the folder goes.
  std::unique_ptr<RunController> controller_;
};

}  // namespace sgdsim
