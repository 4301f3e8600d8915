// Bad peers and oversized messages cost only their own call or connection:
// the server logs one line and keeps serving everyone else.
#include <sys/socket.h>
#include <sys/time.h>

#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "idlrpc/log.hpp"
#include "log_capture.hpp"
#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

/// A plain TCP connection that speaks no protocol at all.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval limit{20, 0};  // liveness bound for wait_closed()
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }
  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  void close_write() { socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send); }
  /// Reads (and drops) what the server sends until it closes the connection.
  bool wait_closed() {
    char buffer[4096];
    for (;;) {
      boost::system::error_code error;
      socket_.read_some(boost::asio::buffer(buffer), error);
      if (error == boost::asio::error::eof || error == boost::asio::error::connection_reset) return true;
      if (error) return false;  // timed out: the server kept it open
    }
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

std::string u32(std::uint32_t v) {
  return std::string{static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
                     static_cast<char>((v >> 16) & 0xff), static_cast<char>(v >> 24)};
}

class RobustnessTest : public ::testing::TestWithParam<Style> {
 protected:
  void expect_still_serving() {
    TestRequest request;
    request.text = "still serving";
    EXPECT_EQ(server_.client().Echo(request).text, "still serving");
  }

  LogCapture log_;
  TestServer server_{GetParam()};
};

TEST_P(RobustnessTest, GarbageClosesOnlyThatConnection) {
  RawPeer peer(server_.server().port());
  // An SSH client on the wrong port (HTTP is not garbage: the server answers
  // /healthz and friends, http_endpoints_test.cpp).
  peer.send("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(eventually([&] { return log_.count_containing("segments") == 1; }));
  expect_still_serving();
}

TEST_P(RobustnessTest, AFloodOfBadConnectionsDoesNotFloodTheLog) {
  constexpr int kPeers = 100;
  for (int i = 0; i < kPeers; ++i) {
    RawPeer peer(server_.server().port());
    peer.send("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    EXPECT_TRUE(peer.wait_closed());
  }
  // At most 20 lines a second (per server): far fewer than 100, however slow this machine.
  const std::size_t logged = log_.count_containing("closed:");
  EXPECT_LT(logged, static_cast<std::size_t>(kPeers)) << "every bad connection was logged";
  // The next line, a second later, says how many were held back.
  std::this_thread::sleep_for(1100ms);
  RawPeer last(server_.server().port());
  last.send("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
  EXPECT_TRUE(last.wait_closed());
  EXPECT_TRUE(eventually([&] { return log_.count_containing("more such lines suppressed") == 1; }));
  log_.clear();
  expect_still_serving();
}

TEST_P(RobustnessTest, PastTheServersInputBudgetNewCallsAreRefusedUntilItIsReleased) {
  ServerOptions options;
  options.max_buffered_input_bytes = 256 * 1024;
  TestServer small(GetParam(), options);
  auto client = small.client();
  {
    // The handler stops reading at the first message: what follows stays
    // buffered on the server, far past its budget (the stream window allows it).
    auto writer = client.Sum();
    TestRequest stop;
    stop.wait_for_cancel = true;
    ASSERT_TRUE(writer.write(stop));
    TestRequest big;
    big.payload.assign(64 * 1024, 'b');
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(writer.write(big));
    TestRequest request;
    request.text = "hello";
    std::string refusal;
    EXPECT_TRUE(eventually([&] {
      try {
        client.Echo(request);
        return false;
      } catch (const RpcError& e) {
        refusal = e.message();
        return e.code() == StatusCode::RESOURCE_EXHAUSTED;
      }
    }));
    EXPECT_EQ(refusal, "server is out of memory for buffered input (limit 262144 bytes)");
    writer.cancel();
  }
  // Cancelled: the buffered messages are gone, and so is the refusal.
  TestRequest request;
  request.text = "served again";
  EXPECT_TRUE(eventually([&] {
    try {
      return client.Echo(request).text == "served again";
    } catch (const RpcError&) {
      return false;
    }
  }));
}

TEST_P(RobustnessTest, ResponseMetadataPastTheClientsLimitFailsTheCall) {
  ChannelOptions options;
  options.metadata_hard_limit_bytes = 4096;
  Tester::Client client(server_.channel(options));
  CallOptions call;
  call.add_metadata("x-echo", std::string(6000, 'm'));  // echoed back as initial and trailing metadata
  try {
    client.Echo(TestRequest{}, call);
    FAIL() << "expected RESOURCE_EXHAUSTED";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(e.message(), "response metadata of 6041 bytes exceeds the limit of 4096 bytes");
  }
  expect_still_serving();
}

TEST_P(RobustnessTest, WellFramedGarbageClosesOnlyThatConnection) {
  RawPeer peer(server_.server().port());
  // One segment of two words whose root pointer points far outside it.
  peer.send(u32(0) + u32(2) + std::string("\x7c\xff\xff\x7f\xff\xff\xff\xff", 8) + std::string(8, '\xee'));
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(eventually([&] { return log_.lines().size() == 1; }));
  expect_still_serving();
}

TEST_P(RobustnessTest, HugeSizeHeaderIsRefusedBeforeAnythingIsAllocated) {
  RawPeer peer(server_.server().port());
  peer.send(u32(0) + u32(0xffffffff));  // one segment of 32 GiB
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(eventually([&] { return log_.count_containing("claims 34359738368 bytes") == 1; }))
      << (log_.lines().empty() ? "" : log_.lines().front());
  expect_still_serving();
}

TEST_P(RobustnessTest, TruncatedFrameCostsOnlyThatConnection) {
  {
    RawPeer peer(server_.server().port());
    peer.send(u32(0) + u32(16) + std::string(40, '\0'));  // 136-byte frame, 48 bytes of it
    peer.close_write();
    EXPECT_TRUE(peer.wait_closed());
  }
  EXPECT_TRUE(eventually([&] { return log_.count_containing("in the middle of a frame") == 1; }));
  expect_still_serving();
}

TEST_P(RobustnessTest, SilentPeerIsDroppedAfterTheHandshakeTimeout) {
  ServerOptions options;
  options.handshake_timeout = 100ms;
  TestServer strict(GetParam(), options);
  RawPeer peer(strict.server().port());
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(eventually([&] { return log_.count_containing("no handshake within 100 ms") == 1; }));
}

TEST_P(RobustnessTest, OversizedRequestIsResourceExhausted) {
  TestRequest request;
  request.payload.assign(5 * 1024 * 1024, 'p');
  try {
    server_.client().Echo(request);
    FAIL() << "expected RESOURCE_EXHAUSTED";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::RESOURCE_EXHAUSTED);
  }
  request.payload.assign(3 * 1024 * 1024, 'p');  // under the limit: fine
  EXPECT_NO_THROW(server_.client().Echo(request));
}

TEST_P(RobustnessTest, OversizedResponseIsResourceExhausted) {
  TestRequest request;
  request.response_bytes = 5 * 1024 * 1024;
  try {
    server_.client().Echo(request);
    FAIL() << "expected RESOURCE_EXHAUSTED";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::RESOURCE_EXHAUSTED);
  }
  expect_still_serving();
}

TEST_P(RobustnessTest, ClientHonoursTheServersSmallerLimit) {
  ServerOptions options;
  options.max_message_bytes = 64 * 1024;
  TestServer small(GetParam(), options);
  TestRequest request;
  request.payload.assign(100 * 1024, 'p');
  try {
    small.client().Echo(request);
    FAIL() << "expected RESOURCE_EXHAUSTED";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(e.message().find("server's limit"), std::string::npos) << e.message();
  }
}

INSTANTIATE_TEST_SUITE_P(BothStyles, RobustnessTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
