// The status messages idlrpc writes, pinned word for word: operators grep
// logs for them and users match on them, so a change here is a visible
// change (idlrpc/detail/status_messages.hpp). The contract macros' failure
// texts too.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/status_messages.hpp"

namespace idlrpc::detail {
namespace {

namespace text = status_text;

TEST(StatusMessages, FixedTexts) {
  EXPECT_EQ(text::kCancelledByClient, "call cancelled by the client");
  EXPECT_EQ(text::kOperationCancelled, "call cancelled with one of its stream operations");
  EXPECT_EQ(text::kStreamObjectDestroyed, "stream object destroyed before the call ended");
  EXPECT_EQ(text::kDeadlineExceeded, "deadline exceeded");
  EXPECT_EQ(text::kDeadlinePassedBeforeStart, "deadline passed before the call started");
  EXPECT_EQ(text::kUnaryTwoRequests, "a unary call got more than one request");
  EXPECT_EQ(text::kUnaryNoRequest, "a unary call ended without a request");
  EXPECT_EQ(text::kUnaryTwoResponses, "server sent more than one response to a unary call");
  EXPECT_EQ(text::kUnaryNoResponse, "server ended a unary call OK without a response");
  EXPECT_EQ(text::kServerStreamingNoRequest, "server-streaming call without a request");
  EXPECT_EQ(text::kClientStreamingNoResponse, "server ended a client-streaming call OK without a response");
  EXPECT_EQ(text::kShuttingDown, "server is shutting down");
  EXPECT_EQ(text::kMaxConnectionAge, "connection reached its maximum age");
  EXPECT_EQ(text::kHandlerFailed, "unexpected error in the handler");
}

TEST(StatusMessages, ServerTexts) {
  EXPECT_EQ(text::unknown_method("/a.B/C"), "unknown method \"/a.B/C\"");
  // A peer's long method path is echoed only in part.
  const std::string long_path(300, 'x');
  EXPECT_EQ(text::unknown_method(long_path), "unknown method \"" + std::string(128, 'x') + "...\" (300 bytes)");
  EXPECT_EQ(text::too_many_calls(100), "too many concurrent calls on one connection (limit 100)");
  EXPECT_EQ(text::too_many_blocking_streams(256), "too many blocking streaming calls at once (limit 256)");
  EXPECT_EQ(text::input_budget_exhausted(1024), "server is out of memory for buffered input (limit 1024 bytes)");
  EXPECT_EQ(text::too_large(text::Oversized::kRequestMetadata, 9000, 8192),
            "request metadata of 9000 bytes exceeds the limit of 8192 bytes");
}

TEST(StatusMessages, DecodingTexts) {
  EXPECT_EQ(text::cannot_decode_request("truncated"), "cannot decode the request: truncated");
  EXPECT_EQ(text::cannot_decode_response("truncated"), "cannot decode the response: truncated");
  EXPECT_EQ(text::cannot_decode_message("truncated"), "cannot decode a message: truncated");
}

TEST(StatusMessages, SizeTexts) {
  EXPECT_EQ(text::too_large(text::Oversized::kRequestForChannel, 5, 4),
            "request of 5 bytes exceeds the channel's limit of 4 bytes");
  EXPECT_EQ(text::too_large(text::Oversized::kRequestForServer, 5, 4),
            "request of 5 bytes exceeds the server's limit of 4 bytes");
  EXPECT_EQ(text::too_large(text::Oversized::kResponse, 5, 4), "response of 5 bytes exceeds the limit of 4 bytes");
  EXPECT_EQ(text::too_large(text::Oversized::kMessage, 5, 4), "message of 5 bytes exceeds the limit of 4 bytes");
  EXPECT_EQ(text::too_large(text::Oversized::kResponseMetadata, 5, 4),
            "response metadata of 5 bytes exceeds the limit of 4 bytes");
  EXPECT_EQ(text::stream_window_overrun(5, 4), "peer sent 5 bytes beyond the stream window of 4 bytes");
}

TEST(StatusMessages, ReachingTheServerTexts) {
  EXPECT_EQ(text::cannot_connect("db:5000", "Connection refused"), "cannot connect to db:5000: Connection refused");
  EXPECT_EQ(text::backing_off("db:5000", "Connection refused", 80),
            "cannot reach db:5000: Connection refused (next attempt in 80 ms)");
  EXPECT_EQ(text::connection_closed("127.0.0.1:5000"), "connection to 127.0.0.1:5000 closed");
  EXPECT_EQ(text::connection_lost("127.0.0.1:5000", "read failed: EOF"),
            "connection to 127.0.0.1:5000 lost: read failed: EOF");
  EXPECT_EQ(text::server_going_away("127.0.0.1:5000", "server is shutting down"),
            "server at 127.0.0.1:5000 is going away: server is shutting down");
  EXPECT_EQ(text::no_addresses("dns:///db:5000", "cannot resolve db: Name or service not known"),
            "no address to call for dns:///db:5000: cannot resolve db: Name or service not known");
}

TEST(Contract, RequireThrowsLogicErrorNamingTheMistake) {
  auto check = [](bool holds) { IDLRPC_REQUIRE(holds, "the caller's mistake"); };
  EXPECT_NO_THROW(check(true));
  try {
    check(false);
    ADD_FAILURE() << "IDLRPC_REQUIRE did not throw";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "idlrpc: the caller's mistake");
  }
}

TEST(ContractDeathTest, AssertAbortsNamingTheConditionAndTheLine) {
  auto check = [](int value) { IDLRPC_ASSERT(value == 1); };
  check(1);
  EXPECT_DEATH(check(2), "idlrpc internal error: `value == 1` does not hold at .*status_messages_test.cpp:[0-9]+");
}

}  // namespace
}  // namespace idlrpc::detail
