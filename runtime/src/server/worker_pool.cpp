#include "server/worker_pool.hpp"

#include <algorithm>
#include <utility>

#include "idlrpc/detail/contract.hpp"

namespace idlrpc::detail {
namespace {

// The monitor stops looking after this long without a job that had to
// wait (while every job finds a thread at once, it sleeps: no ticks).
constexpr std::chrono::milliseconds kMonitorRest{100};

}  // namespace

WorkerPool::WorkerPool(std::size_t max_threads, std::size_t active, std::chrono::microseconds stall,
                       std::chrono::microseconds poll)
    : active_(std::max<std::size_t>(1, std::min(active, max_threads))), stall_(stall), poll_(poll) {
  IDLRPC_REQUIRE(max_threads >= 1, "a worker pool needs a thread");
  IDLRPC_REQUIRE(stall.count() > 0, "a worker pool's stall time must be positive");
  threads_.reserve(max_threads);
  idles_.reserve(max_threads);
  for (std::size_t i = 0; i < max_threads; ++i) {
    idles_.push_back(std::make_unique<Idle>());
    threads_.emplace_back([this, idle = idles_.back().get()] { loop(*idle); });
  }
  monitor_ = std::thread([this] { monitor(); });
}

bool WorkerPool::may_start(Clock::time_point now) const {
  if (queue_.empty()) return false;
  // Threads woken for a job count as running: a thread that comes by
  // meanwhile (just started, say) must not take it from them.
  if (running_ + waking_ < active_ || joining_) return true;
  // Stalled: the oldest job has waited `stall`, and no job started in that
  // time. Busy threads that keep taking jobs are not stalled, however long
  // the queue: more threads would only take turns on the same cores.
  return now - queue_.front().queued >= stall_ && now - last_start_ >= stall_;
}

void WorkerPool::post(std::function<void()> job) {
  std::unique_lock lock(mutex_);
  if (joining_) return;
  const auto now = Clock::now();
  queue_.push_back({std::move(job), now});
  queued_.store(queue_.size(), std::memory_order_release);
  // A thread that is running a job takes this one when it is done: wake one
  // only if fewer than `active` are running or on their way (a thread
  // woken for an earlier job, not running yet, counts: otherwise a burst
  // of jobs would wake every thread, one each).
  if (running_ + waking_ < active_) {
    if (poller_ == Poller::kPolling) {  // the polling thread takes it
      poller_ = Poller::kLeftAJob;
      ++waking_;
      return;
    }
    Idle* idle = wake_one();
    lock.unlock();
    if (idle != nullptr) idle->wake.notify_one();
    return;
  }
  // The job waits: the monitor must watch it.
  last_wait_ = now;
  const bool wake_monitor = std::exchange(monitor_asleep_, false);
  lock.unlock();
  if (wake_monitor) monitor_wake_.notify_one();
}

WorkerPool::Idle* WorkerPool::wake_one() {
  if (idle_.empty()) return nullptr;
  Idle* idle = idle_.front();
  idle_.pop_front();
  idle->woken = true;
  ++waking_;
  return idle;
}

void WorkerPool::loop(Idle& idle) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (may_start(Clock::now())) {
      auto job = std::move(queue_.front());
      queue_.pop_front();
      queued_.store(queue_.size(), std::memory_order_relaxed);
      ++running_;
      last_start_ = Clock::now();
      Idle* helper = running_ + waking_ < active_ && !queue_.empty() ? wake_one() : nullptr;
      lock.unlock();
      if (helper != nullptr) helper->wake.notify_one();
      job.run();
      job.run = nullptr;  // whatever it holds goes now, not with the next job
      lock.lock();
      --running_;
      continue;
    }
    if (joining_ && queue_.empty()) break;
    if (poll_.count() > 0 && poller_ == Poller::kNone && idle.poll.should_poll()) {
      const bool found = poll_for_job(lock);
      idle.poll.polled(found);
      if (found || joining_) continue;
    }
    idle.woken = false;
    idle_.push_back(&idle);
    idle.wake.wait(lock, [&] { return idle.woken; });
    --waking_;
  }
}

bool WorkerPool::poll_for_job(std::unique_lock<std::mutex>& lock) {
  poller_ = Poller::kPolling;
  const auto until = Clock::now() + poll_;
  // Takes the place post() kept for this thread, if it kept one.
  const auto take_left_job = [this] {
    if (poller_ != Poller::kLeftAJob) return;
    poller_ = Poller::kPolling;
    --waking_;
  };
  bool found = false;
  // The last look is under the lock, so a job post() left to this thread
  // is found here or was never posted.
  while (!joining_) {
    take_left_job();
    const auto now = Clock::now();
    if (may_start(now)) {
      found = true;
      break;
    }
    if (now >= until) break;
    lock.unlock();
    (void)yield_until(until, [this] { return queued_.load(std::memory_order_acquire) > 0; });
    lock.lock();
  }
  take_left_job();
  poller_ = Poller::kNone;
  if (!found && !queue_.empty()) {
    // Jobs wait for a place (the running ones may be blocked): the
    // monitor must watch them, as post() would have had it.
    last_wait_ = Clock::now();
    if (std::exchange(monitor_asleep_, false)) monitor_wake_.notify_one();
  }
  return found;
}

void WorkerPool::monitor() {
  std::unique_lock lock(mutex_);
  while (!joining_) {
    const auto now = Clock::now();
    if (running_ >= active_ && waking_ == 0 && may_start(now)) {
      // The oldest job stalled.
      if (Idle* idle = wake_one()) {
        lock.unlock();
        idle->wake.notify_one();
        lock.lock();
        continue;
      }
    }
    if (queue_.empty() && now - last_wait_ >= kMonitorRest) {
      monitor_asleep_ = true;
      monitor_wake_.wait(lock, [this] { return !monitor_asleep_ || joining_; });
    } else {
      monitor_wake_.wait_for(lock, stall_ / 2);
    }
  }
}

void WorkerPool::join() {
  std::unique_lock lock(mutex_);
  if (joining_ && threads_.empty()) return;
  joining_ = true;
  std::vector<Idle*> woken;
  while (Idle* idle = wake_one()) woken.push_back(idle);
  lock.unlock();
  for (Idle* idle : woken) idle->wake.notify_one();
  monitor_wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  if (monitor_.joinable()) monitor_.join();
}

}  // namespace idlrpc::detail
