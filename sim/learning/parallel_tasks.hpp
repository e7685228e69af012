#pragma once
// Numbered tasks run on a fixed set of threads while the event loop goes on. A simulated
// gradient depends only on the version its worker read and the samples drawn for it, so it can
// be computed on any thread at any moment between the start of its task and the moment the
// simulation needs it; the event loop waits only then.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sgdsim {

/// Runs tasks 0..n-1 (one pending run of each at a time) on `threads` threads: the caller's and
/// threads - 1 of its own. The body must touch nothing another task touches, except through the
/// thread index it is given (for scratch buffers), so results never depend on which thread ran
/// what, or when.
class ParallelTasks {
 public:
  /// `body(task, thread)` runs task `task` on thread `thread` (0 is the caller's).
  using Body = std::function<void(std::size_t task, std::size_t thread)>;

  /// With `threads` 1, start() runs the task at once on the caller's thread.
  ParallelTasks(std::size_t threads, std::size_t tasks, Body body);
  /// Stops the threads; queued tasks that have not begun never run.
  ~ParallelTasks();
  ParallelTasks(const ParallelTasks&) = delete;
  ParallelTasks& operator=(const ParallelTasks&) = delete;

  /// Queues task `task`, which must not be pending already.
  void start(std::size_t task);

  /// Returns once task `task`, started before, has run: it runs here if no thread has begun it,
  /// and while another thread finishes it this thread runs other queued tasks. What the task
  /// threw is thrown here.
  void wait(std::size_t task);

  /// Threads computing, the caller's included.
  std::size_t threads() const { return threads_.size() + 1; }

 private:
  enum class State : std::uint8_t { kIdle, kQueued, kRunning, kDone };
  void serve(std::size_t thread);
  /// Takes a queued task off the queue and marks it running, or returns false. Holds `mutex_`.
  bool take(std::size_t& task);
  /// Runs `task` on `thread`, with `lock` released meanwhile.
  void run(std::size_t task, std::size_t thread, std::unique_lock<std::mutex>& lock);

  Body body_;
  std::mutex mutex_;
  std::condition_variable queued_;  ///< A task was queued, or the threads must stop.
  std::condition_variable done_;    ///< A task has run.
  // A task waited for before any thread took it is run by the waiter and leaves a stale entry
  // here, which the threads skip: only the step from kQueued to kRunning runs a task.
  std::deque<std::size_t> queue_;
  std::vector<State> state_;
  std::vector<std::exception_ptr> errors_;  ///< What each task threw, until waited for.
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  ///< Last: they start once everything else exists.
};

/// The number of threads `--threads 0` means: the machine's cores (at least 1).
std::size_t machine_threads();

}  // namespace sgdsim
