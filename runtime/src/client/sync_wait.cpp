// sync_wait()'s blocking half (idlrpc/lazy.hpp): a driver coroutine awaits
// the Lazy and, when it ends, wakes the thread that waits here (the
// SyncWaiter of the blocking calls, which notifies under its lock: the
// waiter cannot destroy it before set() has returned).
//
// Threading: the Lazy starts on the calling thread and may end on another
// (a channel's I/O thread, after a co_<Method> call); the driver's final
// step sets the event there, and the caller, woken, destroys the driver.
// The driver touches nothing after set(): the coroutine is suspended at its
// final point by then, so destroying it from the waking thread is safe.
#include <coroutine>
#include <exception>
#include <utility>

#include "idlrpc/detail/sync_waiter.hpp"
#include "idlrpc/lazy.hpp"

namespace idlrpc::detail {
namespace {

/// Set once, by the driver as it ends; the value says nothing.
using ThreadEvent = SyncWaiter<bool>;

/// The coroutine that awaits the Lazy on sync_wait()'s behalf.
class Driver {
 public:
  class promise_type {
   public:
    promise_type(std::coroutine_handle<> /*task*/, LazyPromiseBase& /*promise*/, ThreadEvent& done) noexcept
        : done_(&done) {}
    Driver get_return_object() noexcept { return Driver(std::coroutine_handle<promise_type>::from_promise(*this)); }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    auto final_suspend() const noexcept {
      struct WakeWaiter {
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept { done->set(nullptr, true); }
        void await_resume() const noexcept {}
        ThreadEvent* done;
      };
      return WakeWaiter{done_};
    }
    void return_void() const noexcept {}
    // The Lazy's exception stays in its own promise (the awaiter below
    // does not take the result), so nothing reaches here.
    void unhandled_exception() const noexcept { std::terminate(); }

   private:
    ThreadEvent* done_;
  };

  Driver(Driver&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  Driver& operator=(Driver&&) = delete;
  ~Driver() {
    if (coroutine_) coroutine_.destroy();
  }
  void start() const { coroutine_.resume(); }

 private:
  explicit Driver(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}
  std::coroutine_handle<promise_type> coroutine_;
};

/// Runs `task` and resumes the driver when it ends, leaving its result (or
/// exception) in its promise for sync_wait() to take.
struct RunTask {
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> driver) const noexcept {
    promise->set_continuation(driver);
    return task;
  }
  void await_resume() const noexcept {}
  std::coroutine_handle<> task;
  LazyPromiseBase* promise;
};

Driver drive(std::coroutine_handle<> task, LazyPromiseBase& promise, ThreadEvent& /*done*/) {
  co_await RunTask{task, &promise};
}

}  // namespace

void run_to_end(std::coroutine_handle<> task, LazyPromiseBase& promise) {
  check_may_block(false, "sync_wait()", "co_await on the Lazy");
  ThreadEvent done;
  Driver driver = drive(task, promise, done);
  driver.start();
  done.get();
}

}  // namespace idlrpc::detail
