// Many threads, many calls, one channel.
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

class ConcurrencyTest : public ::testing::TestWithParam<Style> {};

TEST_P(ConcurrencyTest, ThousandConcurrentCallsFromEightThreadsOnOneChannel) {
  TestServer server(GetParam());
  const auto client = server.client();  // one channel, one connection
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 125;
  std::vector<std::thread> threads;
  std::atomic<int> correct{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every call of this thread is in flight before the first is awaited.
      std::vector<std::future<TestResponse>> calls;
      for (int i = 0; i < kCallsPerThread; ++i) {
        TestRequest request;
        request.text = std::to_string(t) + "/" + std::to_string(i);
        auto copy = client;
        calls.push_back(copy.async_Echo(request, boost::asio::use_future));
      }
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (calls[i].get().text == std::to_string(t) + "/" + std::to_string(i)) ++correct;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct, kThreads * kCallsPerThread);
  EXPECT_EQ(server.observed().started, kThreads * kCallsPerThread);
}

TEST_P(ConcurrencyTest, BlockingCallsFromManyThreads) {
  TestServer server(GetParam());
  const auto client = server.client();
  std::vector<std::thread> threads;
  std::atomic<int> correct{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto mine = client;
      for (int i = 0; i < 50; ++i) {
        TestRequest request;
        request.text = std::to_string(t * 1000 + i);
        if (mine.Echo(request).text == request.text) ++correct;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(correct, 400);
}

INSTANTIATE_TEST_SUITE_P(BothStyles, ConcurrencyTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
