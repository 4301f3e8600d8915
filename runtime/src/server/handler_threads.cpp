#include "server/handler_threads.hpp"

#include <thread>

namespace idlrpc::detail {

bool HandlerThreads::try_run(std::function<void()> job) {
  std::unique_lock lock(mutex_);
  // Jobs queued but not picked up yet count as running: an idle thread is
  // already on its way to each of them.
  const std::size_t running = threads_ - idle_ + jobs_.size();
  if (joining_ || running >= max_threads_) return false;
  jobs_.push_back(std::move(job));
  if (idle_ > jobs_.size() - 1) {
    work_.notify_one();
    return true;
  }
  ++threads_;
  lock.unlock();
  // Detached: a thread ends on its own (idle, or join()); join() waits for
  // the count to reach zero, and a thread touches nothing of ours after it
  // has counted itself out under the mutex.
  std::thread([this] { loop(); }).detach();
  return true;
}

void HandlerThreads::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (jobs_.empty()) {
      ++idle_;
      const bool woken = work_.wait_for(lock, kIdleLifetime, [this] { return !jobs_.empty() || joining_; });
      --idle_;
      if (!woken || jobs_.empty()) break;  // idle too long, or joining with nothing left
    }
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // whatever it holds goes now, not with the next job
    lock.lock();
  }
  --threads_;
  finished_.notify_all();
}

void HandlerThreads::join() {
  std::unique_lock lock(mutex_);
  joining_ = true;
  work_.notify_all();
  finished_.wait(lock, [this] { return threads_ == 0; });
}

std::size_t HandlerThreads::running() const {
  std::lock_guard lock(mutex_);
  return threads_ - idle_;
}

}  // namespace idlrpc::detail
