#include "gui/run_controller.hpp"

#include "app/runner.hpp"
#include "sim/learning/parallel_tasks.hpp"

namespace sgdsim {

RunController::RunController(QObject* parent) : QObject(parent) {}

RunController::~RunController() {
  cancel();
  if (thread_) thread_->wait();
}

void RunController::start(Scenario scenario, std::filesystem::path directory) {
  if (running_) return;
  if (thread_) thread_->wait();  // Finished already: its reap() has run.
  running_ = true;
  cancel_requested_ = false;
  outcome_ = {};
  thread_.reset(
      QThread::create([this, scenario = std::move(scenario), directory = std::move(directory)] {
        RunOptions options;
        options.threads = static_cast<std::uint32_t>(machine_threads());
        // Emitted from this thread to receivers in the GUI thread: delivered queued.
        options.progress = [this](const RunProgress& p) {
          emit progressed(QString::fromStdString(p.line), p.fraction);
        };
        options.cancelled = [this] { return cancel_requested_.load(); };
        try {
          const RunOutcome done = run_scenario(scenario, directory, options);
          outcome_ = {Outcome::kFinished, QString::fromStdString(done.directory.string()),
                      QString::fromStdString(done.human_summary)};
        } catch (const RunCancelled&) {
          outcome_ = {Outcome::kCancelled, {}, {}};
        } catch (const std::exception& e) {
          // Data and run-directory errors say which file and where.
          outcome_ = {Outcome::kFailed, {}, QString::fromStdString(e.what())};
        }
      }));
  // Reaped on this object's (the GUI) thread once the worker has returned.
  connect(thread_.get(), &QThread::finished, this, &RunController::reap, Qt::QueuedConnection);
  thread_->start();
}

void RunController::reap() {
  thread_->wait();
  running_ = false;
  switch (outcome_.kind) {
    case Outcome::kFinished:
      emit finished(outcome_.directory, outcome_.text);
      break;
    case Outcome::kFailed:
      emit failed(outcome_.text);
      break;
    case Outcome::kCancelled:
      emit cancelled();
      break;
  }
}

}  // namespace sgdsim
