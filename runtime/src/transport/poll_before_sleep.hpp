// Whether a thread that has run out of work should poll for more before it
// sleeps: yes while polling keeps finding work, less and less often while
// it does not.
//
// Why poll at all: on these machines (virtual CPUs that halt when idle) a
// sleeping thread takes 50-100 µs to wake, longer than a small call's whole
// round trip without the sleeps (bench/RESULTS.md, 2026-11-30 21:13 UTC).
// Work that arrives while the thread is still polling is handled without
// that wake-up. Polling costs CPU for nothing when no work comes in time
// (a server whose requests arrive 1 ms apart), so a poll that finds
// nothing makes the thread skip polling before its next 1, 2, 4, ... 64
// sleeps: a thread whose polls keep failing wastes at most 1/64 of a
// poll's time per sleep; one whose polls find work keeps polling.
//
// Threads: one PollBeforeSleep per polling thread, used by it alone;
// yield_until() on the polling thread.
#pragma once

#include <sched.h>

#include <chrono>

namespace idlrpc::detail {

/// The poll itself: yields the core (another runnable thread on it goes
/// first), then asks `found()`, until it says yes or `deadline` passes.
/// Returns what found() last said. Callers look once before, themselves.
template <class Found>
bool yield_until(std::chrono::steady_clock::time_point deadline, Found found) {
  do {
    sched_yield();
    if (found()) return true;
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

class PollBeforeSleep {
 public:
  /// Sleeps skipped (not polled before) after a run of failed polls, at most.
  static constexpr unsigned kMaxSkippedSleeps = 64;

  /// Asked before each sleep: whether to poll first.
  bool should_poll() noexcept {
    if (skip_ == 0) return true;
    --skip_;
    return false;
  }
  /// After a poll: whether it found work.
  void polled(bool found_work) noexcept {
    if (found_work) {
      backoff_ = 0;
      return;
    }
    backoff_ = backoff_ == 0 ? 1 : (backoff_ < kMaxSkippedSleeps ? 2 * backoff_ : kMaxSkippedSleeps);
    skip_ = backoff_;
  }

 private:
  unsigned backoff_ = 0;  // sleeps to skip after the next failed poll, halved
  unsigned skip_ = 0;     // sleeps still to skip
};

}  // namespace idlrpc::detail
