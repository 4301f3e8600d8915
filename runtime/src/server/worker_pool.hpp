// The threads of blocking unary handlers: few running at once while jobs
// come back to back, more as soon as one waits because a handler blocks.
//
// Why not asio::thread_pool: it wakes a sleeping thread for every job. With
// the default of at least 8 threads, on a 2-core machine the threads took
// turns on every call, each a futex wake and a context switch: 41 k
// blocking calls/s against 125 k with one thread (bench/RESULTS.md). One
// thread alone, though, would let a handler that blocks (I/O, a lock, a
// sleep) hold every call behind it.
//
// So at most `active` jobs run at once while the queue keeps moving: a
// thread that finishes a job takes the next one itself, without a wake.
// A monitor thread looks at the queue every half `stall` while jobs have
// to wait (and sleeps once none has for a while): when the oldest job
// has waited `stall` and no thread has taken a job in that time (the
// running ones are blocked), it wakes one more thread, which takes the job
// even though `active` are running, up to max_threads at once. A handler
// that blocks on a call to this same server therefore cannot deadlock it.
// Threads that keep taking jobs are busy, not blocked: a long queue behind
// them wakes nobody (more threads would only take turns on the same
// cores, as above).
//
// A thread that finds no job polls the queue for up to `poll` before it
// sleeps, one thread at a time, while such polls keep finding jobs
// (transport/poll_before_sleep.hpp: why, and the back-off): a job posted
// meanwhile starts without a wake-up, which on these machines costs more
// than a short handler's whole run. post() leaves its job to a polling
// thread instead of waking one (one job: the next waits where the monitor
// watches it, as behind a woken thread).
//
// Threading: post() from any thread; join() once, from a thread that is
// not one of these.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "transport/poll_before_sleep.hpp"

namespace idlrpc::detail {

class WorkerPool {
 public:
  using Clock = std::chrono::steady_clock;

  WorkerPool(std::size_t max_threads, std::size_t active, std::chrono::microseconds stall,
             std::chrono::microseconds poll = {});
  ~WorkerPool() { join(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job`. After join() it is dropped.
  void post(std::function<void()> job);

  /// Runs the jobs queued (every thread helps), then ends the threads.
  void join();

 private:
  struct Job {
    std::function<void()> run;
    Clock::time_point queued;
  };

  // An idle thread, waiting to be handed the queue. One per thread, owned
  // by the pool, so a thread can be notified after the mutex is released
  // (a thread notified under it would wake only to wait for it).
  struct Idle {
    std::condition_variable wake;
    bool woken = false;
    PollBeforeSleep poll;  // whether this thread polls before its next sleep
  };

  void loop(Idle& idle);
  void monitor();
  /// With mutex_ held: marks the thread idle longest as woken and returns
  /// it, to be notified once the mutex is released; null if none is idle.
  /// Not the one idle last: that one last ran on the core the posting I/O
  /// thread is busy on, and waking it there cost a blocking call 20 % of
  /// its latency (bench/RESULTS.md).
  Idle* wake_one();
  /// With mutex_ held: whether the oldest job may start now.
  bool may_start(Clock::time_point now) const;
  /// With mutex_ held (released meanwhile): polls for a job for up to
  /// `poll_`; true if one may start now.
  bool poll_for_job(std::unique_lock<std::mutex>& lock);

  const std::size_t active_;
  const std::chrono::microseconds stall_;
  const std::chrono::microseconds poll_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Idle>> idles_;  // one per thread
  std::deque<Idle*> idle_;                    // waiting now, longest idle first
  std::condition_variable monitor_wake_;
  std::deque<Job> queue_;
  std::size_t running_ = 0;  // threads running a job
  std::size_t waking_ = 0;   // threads woken, not back from their wait yet
  // A thread polling for a job (poll_for_job), and whether post() left it
  // one: a job left to it counts in waking_ like a thread woken for it,
  // until the poller takes that place (otherwise a second post() would see
  // a free place, leave its job to the poller too, and nobody would watch
  // it when the poller's job blocks).
  enum class Poller { kNone, kPolling, kLeftAJob };
  Poller poller_ = Poller::kNone;
  std::atomic<std::size_t> queued_{0};  // queue_.size(), for the polling thread
  Clock::time_point last_wait_{};   // when a job last had to wait
  Clock::time_point last_start_{};  // when a thread last took a job
  bool monitor_asleep_ = false;  // idle a while: post() wakes it
  bool joining_ = false;
  std::vector<std::thread> threads_;
  std::thread monitor_;
};

}  // namespace idlrpc::detail
