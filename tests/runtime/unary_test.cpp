// Unary calls end to end over loopback, in both handler styles.
#include <future>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "log_capture.hpp"
#include "test_server.hpp"

namespace idlrpc::test {
namespace {

class UnaryTest : public ::testing::TestWithParam<Style> {
 protected:
  TestServer server_{GetParam()};
  Tester::Client client_ = server_.client();
};

TEST_P(UnaryTest, EchoesTheRequest) {
  TestRequest request;
  request.text = "hello";
  const TestResponse response = client_.Echo(request);
  EXPECT_EQ(response.text, "hello");
  EXPECT_EQ(response.user_agent, "idlrpc-cpp/0.1.0");
  EXPECT_TRUE(response.peer.starts_with("127.0.0.1:")) << response.peer;
  EXPECT_EQ(response.deadline_left_ms, -1);
}

TEST_P(UnaryTest, EveryStatusCodeReachesTheClient) {
  for (int code = 1; code <= static_cast<int>(kLastStatusCode); ++code) {
    TestRequest request;
    request.fail_code = static_cast<std::uint16_t>(code);
    request.text = "failed on purpose";
    try {
      client_.Echo(request);
      ADD_FAILURE() << "no error for code " << code;
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), static_cast<StatusCode>(code));
      EXPECT_EQ(e.message(), "failed on purpose");
    }
  }
}

TEST_P(UnaryTest, AnyOtherExceptionIsUnknownItsTextIsLoggedAndTheServerLivesOn) {
  LogCapture log;
  TestRequest request;
  request.throw_std = true;
  request.text = "secret internals";
  try {
    client_.Echo(request);
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNKNOWN);
    EXPECT_EQ(e.message(), "unexpected error in the handler");
  }
  EXPECT_EQ(log.count_containing("handler of /idlrpc.test.Tester/Echo for 127.0.0.1:"), 1u);
  EXPECT_EQ(log.count_containing("threw: secret internals"), 1u);
  request.throw_std = false;
  EXPECT_EQ(client_.Echo(request).text, "secret internals");
}

TEST_P(UnaryTest, AnExceptionsTextReachesTheClientOnlyWhenTheServerSaysSo) {
  ServerOptions options;
  options.send_exception_messages = true;
  TestServer server(GetParam(), options);
  TestRequest request;
  request.throw_std = true;
  request.text = "boom";
  try {
    server.client().Echo(request);
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNKNOWN);
    EXPECT_EQ(e.message(), "boom");
  }
}

TEST_P(UnaryTest, MetadataTravelsBothWays) {
  const std::string binary("\0\x01\xfe\xff", 4);
  ResponseMetadata received;
  CallOptions options;
  options.add_metadata("X-Echo", "text value").add_metadata("x-echo-bin", binary);
  options.response_metadata = &received;
  client_.Echo(TestRequest{}, options);
  EXPECT_EQ(received.initial.get("x-initial"), "text value");
  EXPECT_EQ(received.initial.get("x-initial-bin"), binary);
  EXPECT_EQ(received.trailing.get("x-trailing"), "text value");
  EXPECT_EQ(received.trailing.get("x-trailing-bin"), binary);
}

TEST_P(UnaryTest, TrailingMetadataComesWithErrors) {
  ResponseMetadata received;
  CallOptions options;
  options.add_metadata("x-echo", "v");
  options.response_metadata = &received;
  TestRequest request;
  request.fail_code = static_cast<std::uint16_t>(StatusCode::ABORTED);
  // The handler fails before it sets metadata: none comes back.
  try {
    client_.Echo(request, options);
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::ABORTED);
    EXPECT_TRUE(e.trailing_metadata().empty());
  }
}

TEST_P(UnaryTest, UnknownMethodIsUnimplemented) {
  static constexpr MethodInfo kMissing{"/idlrpc.test.Tester/Missing", CallKind::kUnary};
  try {
    unary_call<TestResponse>(client_.channel(), kMissing, TestRequest{});
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNIMPLEMENTED);
    EXPECT_NE(e.message().find("Missing"), std::string::npos) << e.message();
  }
}

TEST_P(UnaryTest, AsyncWithCallback) {
  std::promise<TestResponse> done;
  TestRequest request;
  request.text = "callback";
  client_.async_Echo(request, [&done](std::exception_ptr error, TestResponse response) {
    if (error) {
      done.set_exception(error);
    } else {
      done.set_value(std::move(response));
    }
  });
  EXPECT_EQ(done.get_future().get().text, "callback");
}

TEST_P(UnaryTest, AsyncWithUseFuture) {
  TestRequest request;
  request.text = "future";
  std::future<TestResponse> ok = client_.async_Echo(request, boost::asio::use_future);
  request.fail_code = static_cast<std::uint16_t>(StatusCode::NOT_FOUND);
  std::future<TestResponse> failed = client_.async_Echo(request, boost::asio::use_future);
  EXPECT_EQ(ok.get().text, "future");
  EXPECT_THROW(failed.get(), RpcError);
}

TEST_P(UnaryTest, AsyncWithUseAwaitable) {
  auto& io = coroutine_io();
  io.restart();
  std::string text;
  StatusCode failure = StatusCode::OK;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        TestRequest request;
        request.text = "awaitable";
        text = (co_await client_.async_Echo(request, boost::asio::use_awaitable)).text;
        request.fail_code = static_cast<std::uint16_t>(StatusCode::PERMISSION_DENIED);
        try {
          co_await client_.async_Echo(request, boost::asio::use_awaitable);
        } catch (const RpcError& e) {
          failure = e.code();
        }
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(text, "awaitable");
  EXPECT_EQ(failure, StatusCode::PERMISSION_DENIED);
}

INSTANTIATE_TEST_SUITE_P(BothStyles, UnaryTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
