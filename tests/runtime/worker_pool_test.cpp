// The pool of blocking unary handlers (server/worker_pool.hpp): `active`
// threads at most while jobs keep moving, another one as soon as the running
// ones are blocked, every queued job run by join().
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "server/worker_pool.hpp"

namespace idlrpc::detail {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, NoMoreThanTheActiveCountRunAtOnceWhileJobsKeepMoving) {
  // A stall no test run reaches: only `active` threads may ever run at once.
  WorkerPool pool(8, 2, std::chrono::seconds(600));
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> done{0};
  for (int i = 0; i < 400; ++i) {
    pool.post([&] {
      const int now = ++running;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(100us);  // long enough for a wrongly woken thread to overlap
      --running;
      ++done;
    });
    if (i % 50 == 0) std::this_thread::sleep_for(1ms);  // let the queue drain now and then
  }
  // Before join(), which lets every thread help with what is left.
  const auto limit = std::chrono::steady_clock::now() + 20s;
  while (done < 400 && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(1ms);
  pool.join();
  EXPECT_EQ(done, 400);
  EXPECT_LE(most, 2) << "more threads ran at once than the pool's active count";
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

}  // namespace
}  // namespace idlrpc::detail
