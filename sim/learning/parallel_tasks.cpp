#include "sim/learning/parallel_tasks.hpp"

#include <stdexcept>
#include <utility>

namespace sgdsim {

ParallelTasks::ParallelTasks(std::size_t threads, std::size_t tasks, Body body)
    : body_(std::move(body)), state_(tasks, State::kIdle), errors_(tasks) {
  if (threads == 0) throw std::invalid_argument("ParallelTasks needs at least one thread");
  for (std::size_t t = 1; t < threads; ++t) threads_.emplace_back([this, t] { serve(t); });
}

ParallelTasks::~ParallelTasks() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  threads_.clear();  // Joins.
}

void ParallelTasks::start(std::size_t task) {
  if (threads_.empty()) {
    body_(task, 0);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    state_[task] = State::kQueued;
    queue_.push_back(task);
  }
  queued_.notify_one();
}

void ParallelTasks::wait(std::size_t task) {
  if (threads_.empty()) return;  // start() ran it.
  std::unique_lock lock(mutex_);
  while (state_[task] != State::kDone) {
    if (state_[task] == State::kQueued) {
      state_[task] = State::kRunning;
      run(task, 0, lock);
      continue;
    }
    // Another thread runs it: help with the queue, or sleep until a task is done.
    if (std::size_t other; take(other))
      run(other, 0, lock);
    else
      done_.wait(lock);
  }
  state_[task] = State::kIdle;
  if (errors_[task]) std::rethrow_exception(std::exchange(errors_[task], nullptr));
}

bool ParallelTasks::take(std::size_t& task) {
  while (!queue_.empty()) {
    task = queue_.front();
    queue_.pop_front();
    if (state_[task] == State::kQueued) {
      state_[task] = State::kRunning;
      return true;
    }
  }
  return false;
}

void ParallelTasks::run(std::size_t task, std::size_t thread, std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  std::exception_ptr error;
  try {
    body_(task, thread);
  } catch (...) {
    error = std::current_exception();  // Thrown again by wait(), on the caller's thread.
  }
  lock.lock();
  errors_[task] = error;
  state_[task] = State::kDone;
  done_.notify_all();
}

void ParallelTasks::serve(std::size_t thread) {
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    if (std::size_t task; take(task)) run(task, thread, lock);
  }
}

std::size_t machine_threads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace sgdsim
