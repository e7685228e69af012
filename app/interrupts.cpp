#include "app/interrupts.hpp"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace sgdsim {
namespace {

/// What the watcher and the rest of the process share. Never destroyed: the watcher may still use
/// it while static destructors run at exit.
struct State {
  std::atomic<int> signal{0};  ///< The first interrupt's signal, once graceful.
  std::mutex mutex;            ///< Guards everything below.
  int graceful = 0;            ///< GracefulInterrupts alive.
  std::vector<std::filesystem::path> abort_paths;
  bool watching = false;     ///< watch_interrupts() was called.
  sigset_t previous_mask{};  ///< The mask before it.
};

State& state() {
  static State* s = new State;
  return *s;
}

sigset_t interrupt_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

const char* signal_name(int sig) {
  return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

/// A line on standard error; a new line first on a terminal, whose progress line has none.
void say(const std::string& text) {
  const std::string line = (::isatty(STDERR_FILENO) ? "\n" : "") + text + "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

/// Removes every registered path and ends the process at once with 128 + `sig`, as the signal's
/// default action would, without running anything else: the work under way may be anywhere.
/// Called with the state's mutex held, which it never gives back, so no path can be registered
/// (or made) after the removal.
[[noreturn]] void abort_now(State& s, int sig) {
  for (const std::filesystem::path& p : s.abort_paths) {
    // The work goes on while this runs and may just be adding a file to a staging folder, which
    // then makes removal fail as "not empty": try again.
    std::error_code ec;
    for (int attempt = 0; attempt < 20; ++attempt) {
      std::filesystem::remove_all(p, ec);
      if (!ec) break;
    }
  }
  std::fflush(stderr);
  ::_exit(128 + sig);
}

void watch(State& s) {
  const sigset_t set = interrupt_set();
  for (;;) {
    int sig = 0;
    if (::sigwait(&set, &sig) != 0) continue;
    std::unique_lock lock(s.mutex);
    if (s.signal.load() == 0 && s.graceful > 0) {
      s.signal.store(sig);
      say(std::string("sgdsim: ") + signal_name(sig) +
          ": stopping at the next check and keeping what was done (interrupt again to abort and "
          "keep nothing)");
      continue;
    }
    say(std::string("sgdsim: ") + signal_name(sig) + ": aborted, nothing kept");
    abort_now(s, sig);
  }
}

}  // namespace

void watch_interrupts() {
  State& s = state();
  const sigset_t set = interrupt_set();
  ::pthread_sigmask(SIG_BLOCK, &set, &s.previous_mask);
  s.watching = true;
  std::thread(watch, std::ref(s)).detach();
}

void unblock_interrupts() {
  if (state().watching) ::pthread_sigmask(SIG_SETMASK, &state().previous_mask, nullptr);
}

int interrupt_signal() {
  return state().signal.load(std::memory_order_relaxed);
}

GracefulInterrupts::GracefulInterrupts() {
  State& s = state();
  const std::lock_guard lock(s.mutex);
  ++s.graceful;
}

GracefulInterrupts::~GracefulInterrupts() {
  State& s = state();
  const std::lock_guard lock(s.mutex);
  --s.graceful;
}

void add_abort_path(const std::filesystem::path& path, const std::function<void()>& create) {
  State& s = state();
  const std::lock_guard lock(s.mutex);
  s.abort_paths.push_back(path);
  try {
    create();
  } catch (...) {
    s.abort_paths.pop_back();
    throw;
  }
}

void remove_abort_path(const std::filesystem::path& path) {
  State& s = state();
  const std::lock_guard lock(s.mutex);
  const auto it = std::find(s.abort_paths.rbegin(), s.abort_paths.rend(), path);
  if (it != s.abort_paths.rend()) s.abort_paths.erase(std::next(it).base());
}

}  // namespace sgdsim
