#pragma once
// Ctrl-C (SIGINT) and SIGTERM for the `sgdsim` program, handled like a training job's: the first
// asks the work under way to stop at its next check and keep what it did; a second aborts at
// once and removes whatever was being staged. The signals are blocked in every thread and taken
// by one watcher thread with sigwait, so no code runs in a signal handler.

#include <filesystem>
#include <functional>

namespace sgdsim {

/// Blocks SIGINT and SIGTERM in the calling thread, which must be the process's only thread (the
/// start of main) so that every thread made later inherits the mask, and starts the thread that
/// waits for them. Until this is called (as in tests calling sgdsim_main), signals keep their
/// default effect and interrupt_signal() stays 0.
void watch_interrupts();

/// Restores the signal mask watch_interrupts() replaced, for a program exec'd in place of this
/// one (a blocked mask would survive the exec).
void unblock_interrupts();

/// The signal of the first interrupt (SIGINT or SIGTERM) taken while a GracefulInterrupts lived,
/// or 0 when there was none. Cheap and safe to call from any thread.
int interrupt_signal();

/// While one of these lives, the first interrupt only sets interrupt_signal() and the work is
/// expected to check it, stop and keep what it did. With none alive (loading a scenario,
/// `validate`, `calibrate`) there is nothing to keep: the first interrupt already aborts.
class GracefulInterrupts {
 public:
  GracefulInterrupts();
  ~GracefulInterrupts();
  GracefulInterrupts(const GracefulInterrupts&) = delete;
  GracefulInterrupts& operator=(const GracefulInterrupts&) = delete;
};

/// Registers `path` (a staging folder or a partial file) to be removed when an interrupt aborts
/// the process, and runs `create`, which makes it, as one step with respect to that removal: the
/// abort either finds `path` registered and made, or happens before `create` runs. When `create`
/// throws, the path is unregistered and the exception goes on.
void add_abort_path(const std::filesystem::path& path, const std::function<void()>& create);

/// Unregisters `path`, once it has been published (renamed into place) or removed.
void remove_abort_path(const std::filesystem::path& path);

}  // namespace sgdsim
