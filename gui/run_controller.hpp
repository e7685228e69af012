#pragma once
// Runs a scenario in a background thread, so that the window stays responsive, with progress and
// cancellation.

#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>
#include <filesystem>
#include <memory>

#include "app/scenario.hpp"

namespace sgdsim {

/// Runs one scenario at a time with run_scenario on its own thread. Its signals reach receivers
/// in the GUI thread queued, so slots never run on the worker thread.
class RunController : public QObject {
  Q_OBJECT

 public:
  explicit RunController(QObject* parent = nullptr);
  /// Cancels a run still going and waits for its thread.
  ~RunController() override;

  /// True from start() until just before finished, failed or cancelled is emitted.
  bool running() const { return running_; }

  /// Starts simulating `scenario` into `directory` (which must not exist). Ignored while running.
  void start(Scenario scenario, std::filesystem::path directory);

  /// Asks the run to stop once its data are loaded, or at its next slice of events (next
  /// evaluation on the threads backend); it then emits cancelled, leaving nothing.
  void cancel() { cancel_requested_ = true; }

 signals:
  /// Progress from the runner: a line (simulated time, updates, events) and the part done in
  /// [0, 1].
  void progressed(const QString& line, double fraction);
  /// The run directory was written; `summary` is the runner's few lines for the terminal.
  void finished(const QString& directory, const QString& summary);
  /// The run failed; `message` says why (with the file and position for data errors).
  void failed(const QString& message);
  /// The run was cancelled and left nothing behind.
  void cancelled();

 private:
  /// How the last run ended, written by the worker thread before it returns.
  struct Outcome {
    enum Kind { kFinished, kFailed, kCancelled } kind = kCancelled;
    QString directory;  ///< kFinished: the run directory.
    QString text;       ///< kFinished: the summary; kFailed: the error.
  };

  /// On the GUI thread once the worker has returned: emits how the run ended.
  void reap();

  Outcome outcome_;
  std::unique_ptr<QThread> thread_;
  std::atomic<bool> cancel_requested_{false};
  bool running_ = false;
};

}  // namespace sgdsim
