// idlrpc::Lazy<T>: a coroutine task without Asio, and sync_wait() to run
// one from ordinary code. It is what a coroutine client that includes only
// the generated blocking header writes (`co_await client.co_<Method>(...)`,
// docs/generated-code.md): it costs a file <coroutine>, not Asio's
// coroutine machinery, which alone takes longer to compile than a whole
// blocking client.
//
//   idlrpc::Lazy<std::string> nickname(teams::Teams::Client client) {
//     teams::TeamRequest request{.city = "Chicago"};
//     auto team = co_await client.co_GetTeam(request);
//     co_return team.nickname;
//   }
//   std::string name = idlrpc::sync_wait(nickname(client));
//
// A Lazy does nothing until it is awaited (by another coroutine) or run by
// sync_wait(); it then runs to its first suspension on that thread. It
// owns its coroutine frame; moved-from or finished, it can no longer be
// awaited (IDLRPC_REQUIRE).
//
// Threading: a Lazy runs on whichever thread resumes it. After a
// co_<Method> call it goes on on the channel's I/O thread, as a completion
// handler does, so it must not block there: blocking calls made there throw
// std::logic_error, and sync_wait() must not be called there either (it
// would wait for the very thread it blocks).
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "idlrpc/detail/contract.hpp"

namespace idlrpc {

template <class T = void>
class Lazy;

namespace detail {

/// The part of a Lazy's promise that does not depend on its result: where
/// to go when the coroutine ends, and the exception it ended with.
class LazyPromiseBase {
 public:
  // Lazy: nothing runs before the Lazy is awaited.
  std::suspend_always initial_suspend() const noexcept { return {}; }

  /// At the end, resumes the awaiting coroutine by symmetric transfer
  /// (no stack growth however long a chain of Lazys finishes).
  auto final_suspend() const noexcept {
    struct ResumeAwaiting {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> /*finished*/) const noexcept {
        return awaiting;
      }
      void await_resume() const noexcept {}
      std::coroutine_handle<> awaiting;
    };
    return ResumeAwaiting{continuation_};
  }

  void unhandled_exception() noexcept { error_ = std::current_exception(); }

  /// The coroutine to resume when this one ends.
  void set_continuation(std::coroutine_handle<> awaiting) noexcept { continuation_ = awaiting; }

 protected:
  void rethrow_if_failed() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::coroutine_handle<> continuation_ = std::noop_coroutine();
  std::exception_ptr error_;
};

template <class T>
class LazyPromise final : public LazyPromiseBase {
 public:
  Lazy<T> get_return_object() noexcept;

  template <class U = T>
    requires std::is_convertible_v<U&&, T>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }

  /// The result, or the exception the coroutine ended with.
  T take() {
    rethrow_if_failed();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class LazyPromise<void> final : public LazyPromiseBase {
 public:
  Lazy<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() const { rethrow_if_failed(); }
};

/// Runs `task` (a Lazy's coroutine, not started) to its end on this thread
/// and the threads it resumes on, blocking this one until then. Compiled in
/// the runtime (src/client/sync_wait.cpp). Throws std::logic_error on an
/// idlrpc I/O thread.
void run_to_end(std::coroutine_handle<> task, LazyPromiseBase& promise);

}  // namespace detail

/// A coroutine that produces a T (or throws); see the top of this file.
template <class T>
class [[nodiscard]] Lazy {
  static_assert(!std::is_reference_v<T>, "idlrpc::Lazy<T> returns T by value: T cannot be a reference");

 public:
  using promise_type = detail::LazyPromise<T>;

  Lazy(Lazy&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  Lazy& operator=(Lazy&& other) noexcept {
    if (this != &other) {
      destroy();
      coroutine_ = std::exchange(other.coroutine_, {});
    }
    return *this;
  }
  Lazy(const Lazy&) = delete;
  Lazy& operator=(const Lazy&) = delete;
  ~Lazy() { destroy(); }

  /// `co_await std::move(lazy)` (or `co_await f()`): runs it and returns
  /// its result, or rethrows its exception, in the awaiting coroutine.
  auto operator co_await() && {
    check_runnable();
    struct Awaiter {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) const noexcept {
        coroutine.promise().set_continuation(awaiting);
        return coroutine;
      }
      T await_resume() const { return coroutine.promise().take(); }
      std::coroutine_handle<promise_type> coroutine;
    };
    return Awaiter{coroutine_};
  }

 private:
  friend promise_type;
  template <class U>
  friend U sync_wait(Lazy<U> lazy);

  explicit Lazy(std::coroutine_handle<promise_type> coroutine) noexcept : coroutine_(coroutine) {}

  void check_runnable() const {
    IDLRPC_REQUIRE(coroutine_ && !coroutine_.done(),
                   "a Lazy can be awaited or run once: this one was moved from or has finished");
  }
  void destroy() noexcept {
    if (coroutine_) std::exchange(coroutine_, {}).destroy();
  }

  std::coroutine_handle<promise_type> coroutine_;
};

template <class T>
Lazy<T> detail::LazyPromise<T>::get_return_object() noexcept {
  return Lazy<T>(std::coroutine_handle<LazyPromise>::from_promise(*this));
}

inline Lazy<void> detail::LazyPromise<void>::get_return_object() noexcept {
  return Lazy<void>(std::coroutine_handle<LazyPromise>::from_promise(*this));
}

/// Runs `lazy` to its end, blocking the calling thread, and returns its
/// result (or rethrows its exception). Throws std::logic_error on an idlrpc
/// I/O thread (in a completion handler or a coroutine handler).
template <class T>
T sync_wait(Lazy<T> lazy) {
  lazy.check_runnable();
  detail::run_to_end(lazy.coroutine_, lazy.coroutine_.promise());
  return lazy.coroutine_.promise().take();
}

}  // namespace idlrpc
