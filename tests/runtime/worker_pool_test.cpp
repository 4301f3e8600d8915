// The pool of blocking unary handlers (server/worker_pool.hpp): `active`
// threads at most while jobs keep moving, another one as soon as the running
// ones are blocked, every queued job run by join(); with polling before
// sleep, the same.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "server/worker_pool.hpp"

namespace idlrpc::detail {
namespace {

using namespace std::chrono_literals;

// The most jobs seen running at once.
class MostAtOnce {
 public:
  void enter() {
    const int now = ++running_;
    for (int seen = most_.load(); now > seen && !most_.compare_exchange_weak(seen, now);) {
    }
  }
  void leave() { --running_; }
  int most() const { return most_.load(); }

 private:
  std::atomic<int> running_{0};
  std::atomic<int> most_{0};
};

TEST(WorkerPool, NoMoreThanTheActiveCountRunAtOnceWhileJobsKeepMoving) {
  // A stall no test run reaches: only `active` threads may ever run at once.
  WorkerPool pool(8, 2, std::chrono::seconds(600));
  MostAtOnce running;
  std::atomic<int> done{0};
  for (int i = 0; i < 400; ++i) {
    pool.post([&] {
      running.enter();
      std::this_thread::sleep_for(100us);  // long enough for a wrongly woken thread to overlap
      running.leave();
      ++done;
    });
    if (i % 50 == 0) std::this_thread::sleep_for(1ms);  // let the queue drain now and then
  }
  // Before join(), which lets every thread help with what is left.
  const auto limit = std::chrono::steady_clock::now() + 20s;
  while (done < 400 && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  pool.join();
  EXPECT_EQ(done, 400);
  EXPECT_LE(running.most(), 2) << "more threads ran at once than the pool's active count";
}

TEST(WorkerPool, ABlockedJobDoesNotHoldTheQueueBehindIt) {
  WorkerPool pool(4, 1, 20ms);
  std::promise<void> second_ran;
  auto second = second_ran.get_future().share();
  std::atomic<bool> first_saw_second{false};
  // The first job waits for the second: with one active thread and no
  // stall detection this would deadlock (a handler calling its own server).
  pool.post([&, second] { first_saw_second = second.wait_for(20s) == std::future_status::ready; });
  pool.post([&] { second_ran.set_value(); });
  pool.join();
  EXPECT_TRUE(first_saw_second) << "the queued job never got a thread of its own";
}

TEST(WorkerPool, JoinRunsWhatIsQueuedAndLaterJobsAreDropped) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2, 1, 20ms);
    std::promise<void> release;
    auto released = release.get_future().share();
    pool.post([released] { released.wait(); });
    for (int i = 0; i < 10; ++i) pool.post([&] { ++ran; });
    std::thread joiner([&] { pool.join(); });
    std::this_thread::sleep_for(10ms);
    release.set_value();
    joiner.join();
    EXPECT_EQ(ran, 10);
    pool.post([&] { ++ran; });  // after join: dropped
  }
  EXPECT_EQ(ran, 10);
}

// With polling (a thread that finds no job polls the queue before it
// sleeps, worker_pool.hpp): every job still runs, and no more than
// `active` at once.
TEST(WorkerPool, WithPollingEveryJobRunsAndNoMoreThanActiveAtOnce) {
  WorkerPool pool(8, 1, std::chrono::seconds(600), 200us);
  MostAtOnce running;
  std::atomic<int> done{0};
  for (int i = 0; i < 2000; ++i) {
    pool.post([&] {
      running.enter();
      running.leave();
      ++done;
    });
    // Now back to back, now spaced out: jobs found by the polling thread
    // and jobs that must wake one.
    if (i % 100 == 0) std::this_thread::sleep_for(2ms);
    if (i % 7 == 0) std::this_thread::yield();
  }
  const auto limit = std::chrono::steady_clock::now() + 20s;
  while (done < 2000 && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(done, 2000) << "a job posted while a thread polled was never run";
  EXPECT_LE(running.most(), 1);
  pool.join();  // returns though a thread may be polling
}

// A job left to the polling thread takes a place like a woken thread's, so
// the next job, posted before the poller took the first, waits where the
// monitor watches it: when the first blocks, the next still runs.
TEST(WorkerPool, AJobQueuedBehindOneLeftToThePollerStillRuns) {
  WorkerPool pool(4, 1, std::chrono::milliseconds(2), std::chrono::milliseconds(20));
  for (int round = 0; round < 20; ++round) {
    std::promise<void> quick;
    pool.post([&] { quick.set_value(); });
    quick.get_future().wait();  // its thread now polls for the next job
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> second;
    pool.post([released] { released.wait(); });  // blocks its thread
    pool.post([&] { second.set_value(); });
    const bool ran = second.get_future().wait_for(10s) == std::future_status::ready;
    release.set_value();
    ASSERT_TRUE(ran) << "round " << round << ": the job behind a blocked one never started";
  }
  pool.join();
}

}  // namespace
}  // namespace idlrpc::detail
