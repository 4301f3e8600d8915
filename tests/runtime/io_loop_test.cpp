// Polling before sleep (transport/poll_before_sleep.hpp, io_loop.hpp; the
// worker pool's use of it is in worker_pool_test.cpp): the back-off that
// keeps a thread whose polls find nothing from burning CPU, and an I/O loop
// that behaves like io_context::run() with polling on.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include "idlrpc/channel.hpp"
#include "idlrpc/server.hpp"
#include "test_server.hpp"
#include "transport/io_loop.hpp"
#include "transport/poll_before_sleep.hpp"

namespace idlrpc::detail {
namespace {

using namespace std::chrono_literals;

TEST(PollBeforeSleep, PollsWhilePollsFindWork) {
  PollBeforeSleep policy;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(policy.should_poll());
    policy.polled(true);
  }
}

TEST(PollBeforeSleep, EachFailedPollDoublesTheSleepsSkippedUpToTheLimit) {
  PollBeforeSleep policy;
  std::vector<unsigned> skipped;
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(policy.should_poll());
    policy.polled(false);
    unsigned n = 0;
    while (!policy.should_poll()) ++n;
    skipped.push_back(n);
    // The poll after the skipped sleeps fails as well: the loop goes on
    // with the should_poll() that said yes.
    policy.polled(false);
    n = 0;
    while (!policy.should_poll()) ++n;
    skipped.push_back(n);
    policy.polled(true);  // and a success resets the back-off
  }
  // Per round: the first failure skips 1 sleep, the second 2.
  for (std::size_t i = 0; i < skipped.size(); i += 2) {
    EXPECT_EQ(skipped[i], 1u);
    EXPECT_EQ(skipped[i + 1], 2u);
  }
  // Failures in a row: 1, 2, 4, ... then the limit.
  PollBeforeSleep failing;
  std::vector<unsigned> run;
  for (int i = 0; i < 10; ++i) {
    unsigned n = 0;
    while (!failing.should_poll()) ++n;
    run.push_back(n);
    failing.polled(false);
  }
  EXPECT_EQ(run, (std::vector<unsigned>{0, 1, 2, 4, 8, 16, 32, 64, 64, 64}));
}

// CPU time of the calling thread.
std::chrono::microseconds thread_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return std::chrono::seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         std::chrono::microseconds(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

TEST(IoLoop, ReturnsWhenOutOfWorkOrStoppedAsRunWould) {
  std::atomic<std::int64_t> poll_us{200};
  boost::asio::io_context io;
  int ran = 0;
  for (int i = 0; i < 10; ++i) boost::asio::post(io, [&] { ++ran; });
  run_io_loop(io, poll_us);  // out of work once the ten have run
  EXPECT_EQ(ran, 10);
  EXPECT_TRUE(io.stopped());

  boost::asio::io_context kept;
  auto work = boost::asio::make_work_guard(kept);
  std::thread loop([&] { run_io_loop(kept, poll_us); });
  std::this_thread::sleep_for(20ms);
  kept.stop();
  loop.join();  // returns though work remains
}

TEST(IoLoop, RunsWhatOtherThreadsPostWhilePollingOrAsleep) {
  std::atomic<std::int64_t> poll_us{1000};
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread loop([&] { run_io_loop(io, poll_us); });
  // Back to back (found while polling), then spaced out (found asleep).
  for (auto gap : {0us, 0us, 0us, 5000us, 5000us, 0us}) {
    std::this_thread::sleep_for(gap);
    std::promise<std::thread::id> ran_on;
    boost::asio::post(io, [&] { ran_on.set_value(std::this_thread::get_id()); });
    auto future = ran_on.get_future();
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(future.get(), loop.get_id());
  }
  work.reset();
  loop.join();
}

TEST(IoLoop, ThreadWhosePollsFindNothingSpendsLittleCpu) {
  // A timer every 2 ms, 100 times: each time the thread runs out of work
  // it could poll 500 µs for nothing, 50 ms of CPU in all. The back-off
  // makes it poll before about 8 of the 100 sleeps.
  std::atomic<std::int64_t> poll_us{500};
  boost::asio::io_context io;
  boost::asio::steady_timer timer(io);
  int fired = 0;
  std::function<void()> arm = [&] {
    timer.expires_after(2ms);
    timer.async_wait([&](const boost::system::error_code&) {
      if (++fired < 100) arm();
    });
  };
  arm();
  std::chrono::microseconds cpu{};
  std::thread loop([&] {
    const auto before = thread_cpu_time();
    run_io_loop(io, poll_us);
    cpu = thread_cpu_time() - before;
  });
  loop.join();
  EXPECT_EQ(fired, 100);
  EXPECT_LT(cpu, 20ms) << "polled before most sleeps though no poll found anything";
}

TEST(IoLoop, PollingOffRunsAsRunDoes) {
  std::atomic<std::int64_t> poll_us{0};
  boost::asio::io_context io;
  int ran = 0;
  boost::asio::post(io, [&] {
    ++ran;
    boost::asio::post(io, [&] { ++ran; });
  });
  run_io_loop(io, poll_us);
  EXPECT_EQ(ran, 2);
}

// Every call kind, both handler styles, with polling off on both sides and
// with a long poll: the setting changes when threads sleep, never what
// a call does.
TEST(PollingSettings, CallsBehaveTheSameWithPollingOffAndOn) {
  for (const auto poll : {std::chrono::microseconds(0), std::chrono::microseconds(2000)}) {
    set_client_poll_before_sleep(poll);
    for (const auto style : {test::Style::kBlocking, test::Style::kCoroutine}) {
      SCOPED_TRACE(test::to_string(style) + ", poll " + std::to_string(poll.count()) + " µs");
      test::TestServer server(style, ServerOptions{.poll_before_sleep = poll});
      test::Tester::Client client = server.client();
      for (int i = 0; i < 50; ++i) {
        test::TestRequest request;
        request.text = "call " + std::to_string(i);
        EXPECT_EQ(client.Echo(request).text, request.text);
      }
      test::TestRequest count;
      count.count = 20;
      std::uint32_t received = 0;
      for (auto& response : client.Count(count)) EXPECT_TRUE(response == test::nth_response(count, received++));
      EXPECT_EQ(received, 20u);
    }
  }
  set_client_poll_before_sleep(std::chrono::microseconds(50));  // the default, for the tests after
}

TEST(PollingSettings, ANegativeTimeIsRefused) {
  EXPECT_THROW(set_client_poll_before_sleep(std::chrono::microseconds(-1)), std::logic_error);
  EXPECT_THROW(Server(ServerOptions{.poll_before_sleep = std::chrono::microseconds(-1)}), std::logic_error);
}

}  // namespace
}  // namespace idlrpc::detail
