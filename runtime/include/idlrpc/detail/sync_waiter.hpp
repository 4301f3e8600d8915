// Turns an asynchronous completion into a blocking wait: the blocking API
// is the asynchronous one plus this, so both share every code path.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "idlrpc/detail/contract.hpp"

namespace idlrpc::detail {

// A blocking operation made on an idlrpc I/O thread would wait for the
// very thread it blocks: its completion, and its deadline, could never
// run. The blocking API checks first and throws std::logic_error instead.

/// Set for good on a server I/O thread once a coroutine handler has run
/// there: the generated AsyncService code calls note_io_thread() as it
/// enters a handler.
inline thread_local bool t_on_io_thread = false;
inline void note_io_thread() noexcept { t_on_io_thread = true; }

/// Whether the calling thread runs `executor`'s io_context.
inline bool on_thread_of(const boost::asio::any_io_executor& executor) {
  const auto* io = executor.target<boost::asio::io_context::executor_type>();
  return io != nullptr && io->running_in_this_thread();
}

/// Throws std::logic_error if the blocking `operation` is made on an idlrpc
/// I/O thread: a server's (a coroutine handler) or, `completes_here`, the
/// one that must complete it (a completion handler). `instead`: the
/// asynchronous form to suggest.
/// `operation` is `what` followed by `name` (built only when thrown).
inline void check_may_block(bool completes_here, std::string_view operation, std::string_view instead,
                            std::string_view name = {}) {
  if (!completes_here && !t_on_io_thread) [[likely]] return;
  require_failed(std::string(operation) + std::string(name) +
                 " is a blocking call, made on an idlrpc I/O thread (in a completion handler or a coroutine "
                 "handler), where it would wait forever for the thread it blocks. Use " +
                 std::string(instead) + " there, or make the call from another thread.");
}

/// Before a blocking wait sleeps: watches `done` for up to the process's
/// poll_before_sleep (set_client_poll_before_sleep), with the calling
/// thread's back-off (rt/transport/poll_before_sleep.hpp); true if it
/// became true meanwhile. Compiled in rt/client/client_runtime.cpp.
bool poll_before_sleep(const std::atomic<bool>& done) noexcept;

/// One-shot: set() from the completing thread, get() on the waiting one.
/// Never wait on an idlrpc I/O thread (i.e. from inside a callback or a
/// coroutine handler): the completion would have no thread to run on.
template <class T>
class SyncWaiter {
 public:
  void set(std::exception_ptr error, T value) {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
    value_.emplace(std::move(value));
    done_.store(true, std::memory_order_release);
    cv_.notify_one();
  }
  /// Blocks until set(); rethrows the error, else returns the value. A
  /// completion that comes within the poll time is taken without sleeping.
  T get() {
    (void)poll_before_sleep(done_);
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return value_.has_value(); });
    if (error_) std::rethrow_exception(error_);
    return std::move(*value_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::exception_ptr error_;
  std::optional<T> value_;
  std::atomic<bool> done_{false};  // value_ is set: what the poll watches
};

}  // namespace idlrpc::detail
