// Turns an asynchronous completion into a blocking wait: the blocking API
// is the asynchronous one plus this, so both share every code path.
#pragma once

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>

namespace idlrpc::detail {

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
    cv_.notify_one();
  }
  /// Blocks until set(); rethrows the error, else returns the value.
  T get() {
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
};

}  // namespace idlrpc::detail
