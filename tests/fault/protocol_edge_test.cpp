// docs/protocol.md section 10, "Edge cases": one test per row of the table,
// each speaking the wire protocol frame by frame (frame_peer.hpp, from the
// fault suite's own copy of the schema) to a server in this process, and
// checking that the server does what the row says. The test names are the
// ones the table cites.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "frame_peer.hpp"
#include "log_capture.hpp"
#include "test_server.hpp"

namespace idlrpc::fault {
namespace {

using namespace std::chrono_literals;
using test::Style;
using test::TestRequest;
using test::TestResponse;

constexpr std::string_view kEcho = "/idlrpc.test.Tester/Echo";
constexpr std::string_view kCount = "/idlrpc.test.Tester/Count";
constexpr std::string_view kSum = "/idlrpc.test.Tester/Sum";

struct Status {
  std::uint16_t code = 0;
  std::string message;
  bool refused = false;  // the server never started the call
};

/// The trailers the next significant frames end with on `stream`; other
/// streams' frames and responses are skipped, a failure is reported.
Status trailers_of(FramePeer& peer, std::uint32_t stream) {
  while (auto frame = peer.next_significant()) {
    if (frame->stream() == stream && frame->which() == Frame::TRAILERS) {
      auto trailers = frame->frame().getTrailers();
      return {trailers.getCode(), std::string(trailers.getMessage().cStr(), trailers.getMessage().size()),
              trailers.getRefused()};
    }
  }
  ADD_FAILURE() << "no trailers on stream " << stream << (peer.closed() ? ": the server closed the connection" : "");
  return {0xffff, ""};
}

/// The response message of `stream`, decoded, before its trailers.
std::optional<TestResponse> response_of(FramePeer& peer, std::uint32_t stream) {
  while (auto frame = peer.next_significant()) {
    if (frame->stream() != stream) continue;
    if (frame->which() == Frame::TRAILERS) return std::nullopt;
    if (frame->which() == Frame::MESSAGE) {
      TestResponse response;
      idlrpc::wire::decode(frame->frame().getMessage().getPayload(), response);
      return response;
    }
  }
  return std::nullopt;
}

/// The call on `stream` answered `text` and ended OK.
void expect_answer(FramePeer& peer, std::uint32_t stream, const std::string& text) {
  const auto response = response_of(peer, stream);
  ASSERT_TRUE(response.has_value()) << "no response on stream " << stream;
  EXPECT_EQ(response->text, text);
  EXPECT_EQ(trailers_of(peer, stream).code, 0);
}

/// Reads the server's HELLO; its fields.
Hello::Reader server_hello(FramePeer& peer, std::optional<Received>& keep) {
  keep = peer.next();
  EXPECT_TRUE(keep && keep->which() == Frame::HELLO);
  return keep->frame().getHello();
}

/// A PING and its answer: every frame the server sent before the answer
/// is returned in order (the server handles a connection's frames in order).
std::vector<Received> until_pong(FramePeer& peer, std::uint64_t opaque = 77) {
  send_ping(peer.fd(), opaque);
  std::vector<Received> before;
  while (auto frame = peer.next()) {
    if (frame->which() == Frame::PING && frame->frame().getPing().getAck() &&
        frame->frame().getPing().getOpaque() == opaque) {
      return before;
    }
    before.push_back(std::move(*frame));
  }
  ADD_FAILURE() << "no answer to the ping";
  return before;
}

bool call_echo(FramePeer& peer, std::uint32_t stream, const TestRequest& request = {}) {
  return send_headers(peer.fd(), stream, kEcho) && send_request(peer.fd(), stream, request, true);
}

class ProtocolEdgeTest : public ::testing::TestWithParam<Style> {
 protected:
  test::LogCapture log_;
  test::TestServer server_{GetParam()};
  std::uint16_t port() { return server_.server().port(); }
};

// A frame whose union tag this version does not know (a newer peer's kind)
// is ignored on stream 0 and on a call's stream; the call goes on.
TEST_P(ProtocolEdgeTest, UnknownFrameKindsAreIgnored) {
  FramePeer peer(port());
  std::optional<Received> hello;
  server_hello(peer, hello);
  const auto send_unknown = [&](std::uint32_t stream) {
    capnp::MallocMessageBuilder message;
    auto frame = message.initRoot<Frame>();
    frame.setStreamId(stream);
    // The tag is the UInt16 at bits [32, 48) of Frame's data (section 3.1).
    auto data = capnp::AnyStruct::Builder(Frame::Builder(frame)).getDataSection();
    data[4] = 42;
    data[5] = 0;
    return peer.send(message);
  };
  ASSERT_TRUE(send_unknown(0));
  TestRequest request;
  request.text = "after an unknown frame";
  request.delay_ms = 100;
  ASSERT_TRUE(call_echo(peer, 1, request));
  ASSERT_TRUE(send_unknown(1));
  expect_answer(peer, 1, "after an unknown frame");
  EXPECT_TRUE(log_.lines().empty());
}

// ... but not as the first frame: that must be a HELLO.
TEST_P(ProtocolEdgeTest, AnUnknownFrameKindInsteadOfTheHelloClosesTheConnection) {
  FramePeer peer(port(), std::nullopt);
  capnp::MallocMessageBuilder message;
  capnp::AnyStruct::Builder(message.initRoot<Frame>()).getDataSection()[4] = 42;
  ASSERT_TRUE(peer.send(message));
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(test::eventually([&] { return log_.count_containing("the first frame is not a HELLO") == 1; }));
}

// A MESSAGE whose payload pointer is null carries the message with every
// field at its default (Cap'n Proto's rule for a null struct pointer).
TEST_P(ProtocolEdgeTest, ANullPayloadIsTheDefaultMessage) {
  FramePeer peer(port());
  ASSERT_TRUE(send_headers(peer.fd(), 1, kEcho));
  capnp::MallocMessageBuilder message;
  auto frame = message.initRoot<Frame>();
  frame.setStreamId(1);
  frame.initMessage().setEndStream(true);  // payload left null
  ASSERT_TRUE(peer.send(message));
  expect_answer(peer, 1, "");
  EXPECT_EQ(server_.observed().started.load(), 1);
}

TEST_P(ProtocolEdgeTest, AHelloOnANonZeroStreamClosesTheConnection) {
  FramePeer peer(port(), HelloSettings{.stream_id = 5});
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(test::eventually([&] { return log_.count_containing("HELLO on stream 5: it belongs to stream 0") == 1; }));
}

// A window of 0 holds the server's streamed messages until the client
// grants credit; the credit may run negative by one message.
TEST_P(ProtocolEdgeTest, AnInitialWindowOfZeroHoldsStreamedMessagesUntilCredit) {
  FramePeer peer(port(), HelloSettings{.initial_window_bytes = 0});
  TestRequest request;
  request.count = 3;
  ASSERT_TRUE(send_headers(peer.fd(), 1, kCount) && send_request(peer.fd(), 1, request, true));
  const auto messages_in = [&](std::chrono::milliseconds wait) {
    int n = 0;
    while (auto frame = peer.next(wait)) n += frame->which() == Frame::MESSAGE ? 1 : 0;
    return n;
  };
  EXPECT_EQ(messages_in(300ms), 0);
  ASSERT_TRUE(send_window_update(peer.fd(), 1, 1));
  EXPECT_EQ(messages_in(300ms), 1);  // one message, then the credit is negative
  ASSERT_TRUE(send_window_update(peer.fd(), 1, 1 << 20));
  EXPECT_EQ(response_of(peer, 1).has_value(), true);
  EXPECT_EQ(response_of(peer, 1).has_value(), true);
  EXPECT_EQ(trailers_of(peer, 1).code, 0);
}

// A unary call's single response is not held by the stream window.
TEST_P(ProtocolEdgeTest, AUnaryResponseIsNotHeldByAStreamWindowOfZero) {
  FramePeer peer(port(), HelloSettings{.initial_window_bytes = 0});
  TestRequest request;
  request.text = "unary";
  ASSERT_TRUE(call_echo(peer, 1, request));
  expect_answer(peer, 1, "unary");
}

// The path is matched exactly: without the package it names another
// service (or none), and a service declared without a package has a path
// without one.
TEST_P(ProtocolEdgeTest, MethodPathsAreMatchedExactly) {
  FramePeer peer(port());
  ASSERT_TRUE(send_headers(peer.fd(), 1, "/Tester/Echo"));
  Status status = trailers_of(peer, 1);
  EXPECT_EQ(status.code, 12);
  EXPECT_EQ(status.message, "unknown method \"/Tester/Echo\"");
  ASSERT_TRUE(send_headers(peer.fd(), 3, "idlrpc.test.Tester/Echo"));
  status = trailers_of(peer, 3);
  EXPECT_EQ(status.code, 12);
  EXPECT_EQ(status.message, "unknown method \"idlrpc.test.Tester/Echo\"");
  ASSERT_TRUE(send_headers(peer.fd(), 5, "/idlrpc.test.tester/echo"));
  EXPECT_EQ(trailers_of(peer, 5).code, 12);

  class Plain final : public Service {
    ServiceDefinition definition() override {
      ServiceDefinition def("Plain");
      static constexpr MethodInfo kPlainEcho{"/Plain/Echo", CallKind::kUnary};
      def.add_unary<TestRequest, TestResponse>(kPlainEcho, [](ServerContext&, const TestRequest& request) {
        TestResponse response;
        response.text = "plain " + request.text;
        return response;
      });
      return def;
    }
  } plain;
  Server server({.listen = {"127.0.0.1:0"}});
  server.add_service(plain);
  server.start();
  FramePeer plain_peer(server.port());
  TestRequest request;
  request.text = "echo";
  ASSERT_TRUE(send_headers(plain_peer.fd(), 1, "/Plain/Echo") && send_request(plain_peer.fd(), 1, request, true));
  const auto response = response_of(plain_peer, 1);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->text, "plain echo");
}

TEST_P(ProtocolEdgeTest, StreamIdsEndAt2To31Minus1) {
  FramePeer peer(port());
  TestRequest request;
  request.text = "last id";
  ASSERT_TRUE(call_echo(peer, 0x7fffffff, request));
  const auto response = response_of(peer, 0x7fffffff);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->text, "last id");

  FramePeer beyond(port());
  ASSERT_TRUE(send_headers(beyond.fd(), 0x80000000u, kEcho));
  EXPECT_TRUE(beyond.wait_closed());
  EXPECT_TRUE(test::eventually(
      [&] { return log_.count_containing("HEADERS on stream id 2147483648: ids end at 2^31-1") == 1; }));
}

// On a streaming call, messages after the client's halfClose are dropped
// (their connection credit is returned); on a unary call a second
// message fails the call.
TEST_P(ProtocolEdgeTest, MessagesAfterHalfCloseAreDroppedOnStreams) {
  FramePeer peer(port());
  TestRequest request;
  request.payload = "abc";
  ASSERT_TRUE(send_headers(peer.fd(), 1, kSum) && send_request(peer.fd(), 1, request, false));
  capnp::MallocMessageBuilder half_close;
  auto frame = half_close.initRoot<Frame>();
  frame.setStreamId(1);
  frame.setHalfClose();
  ASSERT_TRUE(peer.send(half_close));
  request.payload = "late";
  ASSERT_TRUE(send_request(peer.fd(), 1, request, false));
  expect_answer(peer, 1, "1 messages, 3 bytes");
}

TEST_P(ProtocolEdgeTest, ASecondMessageOnAUnaryCallFailsIt) {
  FramePeer peer(port());
  TestRequest request;
  request.delay_ms = 500;  // still running when the second one comes
  ASSERT_TRUE(call_echo(peer, 1, request));
  ASSERT_TRUE(send_request(peer.fd(), 1, request, true));
  const Status status = trailers_of(peer, 1);
  EXPECT_EQ(status.code, 3);
  EXPECT_EQ(status.message, "a unary call got more than one request");
}

// A client's cancel ends the call whatever its code: the handler sees
// is_cancelled() and the server sends nothing more on that stream.
TEST_P(ProtocolEdgeTest, ACancelEndsTheCallWithoutTrailersWhateverItsCode) {
  FramePeer peer(port());
  TestRequest request;
  request.wait_for_cancel = true;
  ASSERT_TRUE(call_echo(peer, 1, request));
  ASSERT_TRUE(call_echo(peer, 3, request));
  ASSERT_TRUE(test::eventually([&] { return server_.observed().started == 2; }));
  ASSERT_TRUE(send_cancel(peer.fd(), 1, 4, "deadline"));  // DEADLINE_EXCEEDED
  ASSERT_TRUE(send_cancel(peer.fd(), 3, 999, "not a code"));
  EXPECT_TRUE(test::eventually([&] { return server_.observed().saw_cancellation == 2; }));
  for (const auto& frame : until_pong(peer)) {
    EXPECT_NE(frame.which(), Frame::TRAILERS) << "on stream " << frame.stream();
    EXPECT_NE(frame.which(), Frame::MESSAGE) << "on stream " << frame.stream();
  }
}

// A deadline that has passed when the HEADERS arrive (1 µs) ends the call
// with DEADLINE_EXCEEDED; 2^64-1 µs is honoured as 100 years.
TEST_P(ProtocolEdgeTest, AnExpiredDeadlineEndsTheCallWithDeadlineExceeded) {
  FramePeer peer(port());
  ASSERT_TRUE(send_headers(peer.fd(), 1, kEcho, 0, 1) && send_request(peer.fd(), 1, TestRequest{}, true));
  const Status status = trailers_of(peer, 1);
  EXPECT_EQ(status.code, 4);
  EXPECT_EQ(status.message, "deadline exceeded");

  ASSERT_TRUE(send_headers(peer.fd(), 3, kEcho, 0, std::numeric_limits<std::uint64_t>::max()) &&
              send_request(peer.fd(), 3, TestRequest{}, true));
  const auto response = response_of(peer, 3);
  ASSERT_TRUE(response.has_value());
  EXPECT_GT(response->deadline_left_ms, std::int64_t{99} * 365 * 24 * 3600 * 1000);
  EXPECT_EQ(trailers_of(peer, 3).code, 0);
}

// Keys: A-Z are read as a-z; any other byte outside [a-z0-9-_.], or an
// empty key, closes the connection. Size: past the hard limit, refused.
TEST_P(ProtocolEdgeTest, MetadataKeysAndLimits) {
  FramePeer peer(port());
  std::optional<Received> hello;
  server_hello(peer, hello);
  ASSERT_TRUE(send_headers(peer.fd(), 1, kEcho, 0, 0, {{"X-Echo-Case", "v"}}) &&
              send_request(peer.fd(), 1, TestRequest{}, true));
  std::string initial_key;
  while (auto frame = peer.next()) {
    if (frame->stream() == 1 && frame->which() == Frame::HEADERS) {
      for (auto entry : frame->frame().getHeaders().getMetadata()) initial_key += entry.getKey().cStr();
    }
    if (frame->stream() == 1 && frame->which() == Frame::TRAILERS) break;
  }
  EXPECT_EQ(initial_key, "x-initial-case");

  // 16 KiB hard limit: each entry costs its key, its value and 32 bytes.
  ASSERT_TRUE(send_headers(peer.fd(), 3, kEcho, 0, 0, {{"x-big", std::string(16384 - 5 - 32 + 1, 'b')}}));
  const Status status = trailers_of(peer, 3);
  EXPECT_EQ(status.code, 8);
  EXPECT_EQ(status.message, "request metadata of 16385 bytes exceeds the limit of 16384 bytes");
  EXPECT_FALSE(status.refused) << "every server would refuse it: not one to send elsewhere";

  for (const std::string key : {"bad key", ""}) {
    FramePeer bad(port());
    ASSERT_TRUE(send_headers(bad.fd(), 1, kEcho, 0, 0, {{key, "v"}}));
    EXPECT_TRUE(bad.wait_closed()) << key;
  }
  EXPECT_TRUE(test::eventually([&] {
    return log_.count_containing("metadata key \"bad key\" has a character outside [A-Za-z0-9-_.]") == 1 &&
           log_.count_containing("metadata key is empty") == 1;
  }));
}

// GOAWAY{lastStreamId, UNAVAILABLE, "server is shutting down"} on shutdown;
// calls up to lastStreamId go on, later ones are refused with UNAVAILABLE,
// and the calls left at the end of the grace period end with UNAVAILABLE.
TEST_P(ProtocolEdgeTest, ShutdownSendsGoAwayAndRefusesLaterCalls) {
  test::TestServer server(GetParam());
  FramePeer peer(server.server().port());
  TestRequest stuck;
  stuck.wait_for_cancel = true;
  ASSERT_TRUE(call_echo(peer, 1, stuck));
  ASSERT_TRUE(test::eventually([&] { return server.observed().started == 1; }));
  std::thread shutdown([&] { server.server().shutdown(500ms); });
  std::optional<Received> go_away;
  while ((go_away = peer.next_significant()) && go_away->which() != Frame::GO_AWAY) {
  }
  ASSERT_TRUE(go_away.has_value());
  EXPECT_EQ(go_away->stream(), 0u);
  EXPECT_EQ(go_away->frame().getGoAway().getLastStreamId(), 1u);
  EXPECT_EQ(go_away->frame().getGoAway().getCode(), 14);
  EXPECT_STREQ(go_away->frame().getGoAway().getMessage().cStr(), "server is shutting down");
  ASSERT_TRUE(call_echo(peer, 3));
  Status status = trailers_of(peer, 3);
  EXPECT_EQ(status.code, 14);
  EXPECT_EQ(status.message, "server is shutting down");
  EXPECT_TRUE(status.refused) << "a call after the GOAWAY was never started: another server may take it";
  status = trailers_of(peer, 1);  // after the grace period
  EXPECT_EQ(status.code, 14);
  EXPECT_EQ(status.message, "server is shutting down");
  EXPECT_FALSE(status.refused) << "its handler ran";
  EXPECT_TRUE(peer.wait_closed());
  shutdown.join();
}

// Stream credit comes back on the stream, connection credit on stream 0,
// each once half its window has been consumed, as the sum of the whole
// frames (framing header included) consumed since the last update.
TEST_P(ProtocolEdgeTest, CreditIsReturnedInHalfWindows) {
  ServerOptions options;
  options.stream_window_bytes = 16 * 1024;
  options.connection_window_bytes = 48 * 1024;
  test::TestServer server(GetParam(), options);
  FramePeer peer(server.server().port());
  std::optional<Received> hello_frame;
  const Hello::Reader hello = server_hello(peer, hello_frame);
  ASSERT_EQ(hello.getInitialWindowBytes(), 16u * 1024);
  ASSERT_EQ(hello.getConnectionWindowBytes(), 48u * 1024);

  TestRequest request;
  request.payload.assign(2000, 'c');
  capnp::MallocMessageBuilder sample;
  auto sample_frame = sample.initRoot<Frame>();
  sample_frame.setStreamId(1);
  idlrpc::wire::encode(sample_frame.initMessage().getPayload(), request);
  const std::int64_t frame_bytes = static_cast<std::int64_t>(capnp::messageToFlatArray(sample).asBytes().size());

  constexpr int kMessages = 40;
  std::int64_t stream_credit = 16 * 1024, connection_credit = 48 * 1024;
  std::vector<std::uint32_t> stream_updates, connection_updates;
  const auto take = [&](const Received& frame) {
    if (frame.which() != Frame::WINDOW_UPDATE) return;
    const std::uint32_t bytes = frame.frame().getWindowUpdate().getBytes();
    (frame.stream() == 0 ? connection_updates : stream_updates).push_back(bytes);
    (frame.stream() == 0 ? connection_credit : stream_credit) += bytes;
  };
  ASSERT_TRUE(send_headers(peer.fd(), 1, kSum));
  for (int i = 0; i < kMessages; ++i) {
    while (stream_credit <= 0 || connection_credit <= 0) {  // section 7: send while both are positive
      auto frame = peer.next();
      ASSERT_TRUE(frame.has_value()) << "no credit came back after " << i << " messages";
      take(*frame);
    }
    ASSERT_TRUE(send_request(peer.fd(), 1, request, i + 1 == kMessages));
    stream_credit -= frame_bytes;
    connection_credit -= frame_bytes;
  }
  std::optional<Received> frame;
  while ((frame = peer.next()) && !(frame->stream() == 1 && frame->which() == Frame::TRAILERS)) take(*frame);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->frame().getTrailers().getCode(), 0);
  for (const auto& late : until_pong(peer)) take(late);  // connection credit of the last messages

  // Stream credit: the fewest whole frames that reach half the window, as
  // the handler reads them.
  const std::int64_t frames_per_update = (8 * 1024 + frame_bytes - 1) / frame_bytes;
  for (const std::uint32_t bytes : stream_updates) EXPECT_EQ(bytes, frames_per_update * frame_bytes);
  EXPECT_EQ(stream_updates.size(), static_cast<std::size_t>(kMessages / frames_per_update));
  // Connection credit: whole frames, at least half the window each (what
  // was released by the time the update is written), never more than sent.
  ASSERT_FALSE(connection_updates.empty());
  std::int64_t returned = 0;
  for (const std::uint32_t bytes : connection_updates) {
    EXPECT_EQ(bytes % frame_bytes, 0);
    EXPECT_GE(bytes, 24 * 1024);
    returned += bytes;
  }
  EXPECT_LE(returned, kMessages * frame_bytes);
  EXPECT_GT(returned, kMessages * frame_bytes - 24 * 1024);
  std::printf("[figures] %lld-byte frames: stream updates of %u bytes (x%zu), connection updates of %u (x%zu)\n",
              static_cast<long long>(frame_bytes), stream_updates.front(), stream_updates.size(),
              connection_updates.front(), connection_updates.size());
}

// maxMessageBytes M bounds a MESSAGE frame as it travels, whole. A
// receiver takes any frame up to M + 4096 bytes and closes the connection
// on a larger one; a sender refuses to send a MESSAGE frame over the
// peer's M (the C++ server: RESOURCE_EXHAUSTED trailers instead).
TEST_P(ProtocolEdgeTest, MaxMessageBytesBoundsTheWholeFrame) {
  ServerOptions options;
  options.max_message_bytes = 64 * 1024;
  test::TestServer server(GetParam(), options);
  // A whole Echo call whose MESSAGE frame is exactly `frame_bytes` long
  // (one segment, so the size is the framing header plus the segment).
  const auto echo_frames_of_size = [](std::size_t frame_bytes) {
    TestRequest request;
    for (std::size_t payload = frame_bytes - 256; payload < frame_bytes; ++payload) {
      request.payload.assign(payload, 'm');
      capnp::MallocMessageBuilder message(capnp::SUGGESTED_FIRST_SEGMENT_WORDS * 16);
      auto frame = message.initRoot<Frame>();
      frame.setStreamId(1);
      auto body = frame.initMessage();
      idlrpc::wire::encode(body.getPayload(), request);
      body.setEndStream(true);
      auto flat = capnp::messageToFlatArray(message);
      if (flat.asBytes().size() == frame_bytes) return flat;
    }
    ADD_FAILURE() << "no request makes a frame of " << frame_bytes << " bytes";
    return kj::Array<capnp::word>();
  };
  const auto send_echo = [](FramePeer& peer, const kj::Array<capnp::word>& message) {
    return send_headers(peer.fd(), 1, kEcho) && send_all(peer.fd(), message.begin(), message.asBytes().size());
  };
  {
    FramePeer peer(server.server().port());
    ASSERT_TRUE(send_echo(peer, echo_frames_of_size(64 * 1024 + 4096)));
    EXPECT_EQ(trailers_of(peer, 1).code, 0);
  }
  {
    FramePeer peer(server.server().port());
    ASSERT_TRUE(send_echo(peer, echo_frames_of_size(64 * 1024 + 4096 + 8)));
    EXPECT_TRUE(peer.wait_closed());
    EXPECT_TRUE(test::eventually([&] { return log_.count_containing("frame header claims 69640 bytes (limit 69632)") == 1; }));
  }
  {
    FramePeer peer(server.server().port(), HelloSettings{.max_message_bytes = 1024});
    TestRequest request;
    request.response_bytes = 2000;
    ASSERT_TRUE(call_echo(peer, 1, request));
    const Status status = trailers_of(peer, 1);
    EXPECT_EQ(status.code, 8);
    EXPECT_TRUE(status.message.starts_with("response of 2")) << status.message;
    EXPECT_TRUE(status.message.ends_with(" bytes exceeds the limit of 1024 bytes")) << status.message;
  }
}

INSTANTIATE_TEST_SUITE_P(BothStyles, ProtocolEdgeTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return test::to_string(info.param); });

}  // namespace
}  // namespace idlrpc::fault
