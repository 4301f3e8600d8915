// Threads for blocking streaming handlers: one each, made on demand up to
// a limit, kept a while when idle.
//
// Why not the worker pool: a blocking streaming handler waits on its peer
// (the next message, credit for the next write) for as long as the peer
// likes. On a fixed pool, as many idle streams as there are workers would
// make every other call wait (issue: eight clients that open a stream and
// never write starved a blocking server). Unary handlers keep the pool,
// which they leave as soon as they return; a stream gets a thread of its
// own, and past the limit a new one is refused with RESOURCE_EXHAUSTED
// instead of queued, as gRPC's synchronous server does.
//
// Threading: try_run() from any thread; join() once, from a thread that is
// not one of these.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace idlrpc::detail {

class HandlerThreads {
 public:
  explicit HandlerThreads(std::size_t max_threads) : max_threads_(max_threads) {}
  ~HandlerThreads() { join(); }
  HandlerThreads(const HandlerThreads&) = delete;
  HandlerThreads& operator=(const HandlerThreads&) = delete;

  /// Runs `job` on an idle thread or a new one; false (and `job` is not
  /// run) when max_threads jobs are running already, or after join().
  bool try_run(std::function<void()> job);

  /// Waits for every job to finish and every thread to end.
  void join();

  /// Jobs running now (for tests and metrics).
  std::size_t running() const;

 private:
  void loop();

  // An idle thread ends after this long without a job.
  static constexpr std::chrono::seconds kIdleLifetime{30};

  const std::size_t max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable work_;      // a job was queued, or join()
  std::condition_variable finished_;  // a thread ended
  std::deque<std::function<void()>> jobs_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
  bool joining_ = false;
};

}  // namespace idlrpc::detail
