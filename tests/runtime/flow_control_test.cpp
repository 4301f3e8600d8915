// Connection-level flow control (docs/protocol.md section 7): many streams
// share one connection window, in both directions, and every message still
// arrives, with no stream waiting forever for credit that never comes back.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

constexpr std::uint32_t kWindow = 256 * 1024;  // far less than the streams below send together
constexpr int kStreams = 8;
constexpr std::uint32_t kMessages = 200;
constexpr std::uint32_t kMessageBytes = 16 * 1024;

class FlowControlTest : public ::testing::TestWithParam<Style> {
 protected:
  static ServerOptions server_options() {
    ServerOptions options;
    options.connection_window_bytes = kWindow;
    options.stream_window_bytes = kWindow / 2;
    return options;
  }
  static ChannelOptions channel_options() {
    ChannelOptions options;
    options.connection_window_bytes = kWindow;
    options.stream_window_bytes = kWindow / 2;
    return options;
  }

  TestServer server_{GetParam(), server_options()};
  Tester::Client client_{server_.channel(channel_options())};
};

TEST_P(FlowControlTest, UploadsOnManyStreamsShareTheServersConnectionWindow) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < kStreams; ++s) {
    threads.emplace_back([&] {
      auto writer = client_.Sum();
      TestRequest request;
      request.payload.assign(kMessageBytes, 'u');
      for (std::uint32_t i = 0; i < kMessages; ++i) {
        if (!writer.write(request)) return;
      }
      const auto expected = std::to_string(kMessages) + " messages, " + std::to_string(kMessages * kMessageBytes) +
                            " bytes";
      if (writer.finish().text == expected) ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, kStreams);
}

TEST_P(FlowControlTest, DownloadsOnManyStreamsShareTheClientsConnectionWindow) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < kStreams; ++s) {
    threads.emplace_back([&] {
      TestRequest request;
      request.count = kMessages;
      request.response_bytes = kMessageBytes;
      auto reader = client_.Count(request);
      std::uint32_t received = 0;
      while (auto response = reader.read()) received += response->payload.size() == kMessageBytes ? 1 : 0;
      reader.finish();
      if (received == kMessages) ++ok;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, kStreams);
}

INSTANTIATE_TEST_SUITE_P(BothStyles, FlowControlTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
