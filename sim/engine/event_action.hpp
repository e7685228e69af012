#pragma once
// What an event does when it fires: a move-only `void()` callable, cheaper to store and move than
// std::function for the small closures the engine schedules millions of times.

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace sgdsim {

/// A move-only callable taking no arguments. Closures that are trivially copyable and at most
/// 24 bytes (a pointer and two indices, as every event of the protocols is) live inline and move
/// as plain bytes, with no call to a manager and no allocation; any other closure is kept on the
/// heap behind a pointer.
class EventAction {
  static constexpr std::size_t kInline = 24;
  static constexpr std::size_t kAlign = alignof(void*);

 public:
  EventAction() = default;
  EventAction(std::nullptr_t) {}  // NOLINT: as std::function, "no action" converts implicitly.

  /// Wraps any callable `f()`.
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, EventAction> &&
                                                    std::is_invocable_r_v<void, std::decay_t<F>&>>>
  EventAction(F&& f) {  // NOLINT: implicit, so lambdas pass where an action is expected.
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= kInline && alignof(Fn) <= kAlign &&
                  std::is_trivially_copyable_v<Fn>) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
      invoke_ = [](void* p) { (*std::launder(static_cast<Fn*>(p)))(); };
    } else {
      Fn* boxed = new Fn(std::forward<F>(f));
      std::memcpy(storage_, &boxed, sizeof boxed);
      invoke_ = [](void* p) { (**static_cast<Fn**>(p))(); };
      destroy_ = [](void* p) { delete *static_cast<Fn**>(p); };
    }
  }

  EventAction(EventAction&& other) noexcept { steal(other); }
  EventAction& operator=(EventAction&& other) noexcept {
    if (this != &other) {
      reset();
      steal(other);
    }
    return *this;
  }
  EventAction(const EventAction&) = delete;
  EventAction& operator=(const EventAction&) = delete;
  ~EventAction() { reset(); }

  /// Runs the action. Requires a non-empty action.
  void operator()() { invoke_(storage_); }

  /// True when there is something to run.
  explicit operator bool() const { return invoke_ != nullptr; }

  /// Drops the action, freeing a heap-kept closure.
  void reset() {
    if (destroy_) destroy_(storage_);
    invoke_ = nullptr;
    destroy_ = nullptr;
  }

 private:
  void steal(EventAction& other) {
    // Both kinds of storage are trivially copyable bytes: an inline closure or a pointer.
    std::memcpy(storage_, other.storage_, kInline);
    invoke_ = other.invoke_;
    destroy_ = other.destroy_;
    other.invoke_ = nullptr;
    other.destroy_ = nullptr;
  }

  void (*invoke_)(void*) = nullptr;
  void (*destroy_)(void*) = nullptr;  ///< Null for inline closures: nothing to free.
  alignas(kAlign) unsigned char storage_[kInline];
};

}  // namespace sgdsim
