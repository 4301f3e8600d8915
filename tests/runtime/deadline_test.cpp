// Deadlines and cancellation: the client gives up on time even when the
// server is stuck, and the server's handler sees its call cancelled.
#include <stop_token>
#include <thread>

#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

class DeadlineTest : public ::testing::TestWithParam<Style> {
 protected:
  TestServer server_{GetParam()};
  Tester::Client client_ = server_.client();
};

TEST_P(DeadlineTest, StuckHandlerEndsWithDeadlineExceededOnBothSides) {
  TestRequest request;
  request.wait_for_cancel = true;
  EXPECT_EQ(code_of([&] { client_.Echo(request, CallOptions().set_timeout(200ms)); }),
            StatusCode::DEADLINE_EXCEEDED);
  // The server armed its own timer from the timeout in HEADERS.
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
}

TEST_P(DeadlineTest, DeadlineReachesTheHandler) {
  const TestResponse response = client_.Echo(TestRequest{}, CallOptions().set_timeout(30s));
  EXPECT_GT(response.deadline_left_ms, 0);
  EXPECT_LE(response.deadline_left_ms, 30000);
}

TEST_P(DeadlineTest, ExpiredDeadlineFailsWithoutReachingTheServer) {
  EXPECT_EQ(code_of([&] { client_.Echo(TestRequest{}, CallOptions().set_deadline(Clock::now() - 1s)); }),
            StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(server_.observed().started, 0);
}

TEST_P(DeadlineTest, ClientCancellationFromAnotherThread) {
  std::stop_source stop;
  TestRequest request;
  request.wait_for_cancel = true;
  std::thread canceller([&] {
    eventually([&] { return server_.observed().started == 1; });
    stop.request_stop();
  });
  EXPECT_EQ(code_of([&] { client_.Echo(request, CallOptions().set_cancellation(stop.get_token())); }),
            StatusCode::CANCELLED);
  canceller.join();
  EXPECT_TRUE(eventually([&] { return server_.observed().saw_cancellation == 1; }));
  // The connection is still good.
  EXPECT_EQ(client_.Echo(TestRequest{}).text, "");
}

TEST_P(DeadlineTest, AlreadyCancelledTokenCancelsAtOnce) {
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(code_of([&] { client_.Echo(TestRequest{}, CallOptions().set_cancellation(stop.get_token())); }),
            StatusCode::CANCELLED);
}

TEST_P(DeadlineTest, DeadlinePropagatesAcrossTwoHops) {
  // client -> front (Forward) -> back (Echo, stuck). Only the client sets a
  // deadline; the back end must see it, and be cancelled when it passes.
  TestServer back(GetParam());
  TestRequest request;
  request.forward_to = back.address();
  request.wait_for_cancel = true;
  EXPECT_EQ(code_of([&] { client_.Forward(request, CallOptions().set_timeout(300ms)); }),
            StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(eventually([&] { return back.observed().saw_cancellation == 1; }));

  request.wait_for_cancel = false;
  const TestResponse response = client_.Forward(request, CallOptions().set_timeout(20s));
  EXPECT_GT(response.deadline_left_ms, 0);
  EXPECT_LE(response.deadline_left_ms, 20000);
}

TEST_P(DeadlineTest, CancellationPropagatesAcrossTwoHops) {
  TestServer back(GetParam());
  std::stop_source stop;
  TestRequest request;
  request.forward_to = back.address();
  request.wait_for_cancel = true;
  std::thread canceller([&] {
    eventually([&] { return back.observed().started == 1; });
    stop.request_stop();
  });
  EXPECT_EQ(code_of([&] { client_.Forward(request, CallOptions().set_cancellation(stop.get_token())); }),
            StatusCode::CANCELLED);
  canceller.join();
  EXPECT_TRUE(eventually([&] { return back.observed().saw_cancellation == 1; }));
}

INSTANTIATE_TEST_SUITE_P(BothStyles, DeadlineTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
