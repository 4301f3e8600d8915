// Every status message idlrpc itself puts in a call's status, in one place.
// Operators grep logs for these texts and users match on them, so they are
// part of the interface: tests/runtime/status_messages_test.cpp pins each
// one, and changing a text is a visible change (like {fmt}'s error texts).
//
// Fixed texts are constants (the public templates use some of them);
// texts with values are functions, defined in runtime/src so that this
// header stays light. Messages a handler throws are the application's own
// and never pass through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace idlrpc::detail::status_text {

// Cancellation and deadlines (either side).
inline constexpr std::string_view kCancelledByClient = "call cancelled by the client";
inline constexpr std::string_view kOperationCancelled = "call cancelled with one of its stream operations";
inline constexpr std::string_view kStreamObjectDestroyed = "stream object destroyed before the call ended";
inline constexpr std::string_view kDeadlineExceeded = "deadline exceeded";
inline constexpr std::string_view kDeadlinePassedBeforeStart = "deadline passed before the call started";

// The shape of a call, as one side saw the other break it.
inline constexpr std::string_view kUnaryTwoRequests = "a unary call got more than one request";
inline constexpr std::string_view kUnaryNoRequest = "a unary call ended without a request";
inline constexpr std::string_view kUnaryTwoResponses = "server sent more than one response to a unary call";
inline constexpr std::string_view kUnaryNoResponse = "server ended a unary call OK without a response";
inline constexpr std::string_view kServerStreamingNoRequest = "server-streaming call without a request";
inline constexpr std::string_view kClientStreamingNoResponse =
    "server ended a client-streaming call OK without a response";

// The server.
inline constexpr std::string_view kShuttingDown = "server is shutting down";
inline constexpr std::string_view kMaxConnectionAge = "connection reached its maximum age";
// GOAWAY's message when a client pings more often than the server allows
// (gRPC's debug data for the same): the client matches it exactly.
inline constexpr std::string_view kTooManyPings = "too_many_pings";
inline constexpr std::string_view kHandlerFailed = "unexpected error in the handler";
inline constexpr std::string_view kInterceptorFailed = "unexpected error in an interceptor";
inline constexpr std::string_view kRejectedWithOk = "an interceptor rejected the call without a status";
inline constexpr std::string_view kCredentialsNeedTls =
    "call credentials are not sent in plaintext off this machine: use TLS (tls://host:port)";
std::string unknown_method(std::string_view path);
std::string too_many_calls(std::uint32_t limit);
std::string too_many_blocking_streams(unsigned limit);
std::string input_budget_exhausted(std::uint64_t limit);

// Decoding.
std::string cannot_decode_request(std::string_view why);
std::string cannot_decode_response(std::string_view why);
std::string cannot_decode_message(std::string_view why);

// Sizes: "<what> of <bytes> bytes exceeds <whose limit> of <limit> bytes".
enum class Oversized {
  kRequestForChannel,  // "request", "the channel's limit"
  kRequestForServer,   // "request", "the server's limit"
  kResponse,
  kMessage,  // a stream's
  kRequestMetadata,
  kResponseMetadata,
};
std::string too_large(Oversized what, std::size_t bytes, std::size_t limit);
std::string stream_window_overrun(std::size_t unread, std::uint32_t window);

// Reaching the server (the client's UNAVAILABLE).
std::string cannot_connect(std::string_view target, std::string_view reason);
std::string backing_off(std::string_view target, std::string_view last_failure, std::int64_t wait_ms);
std::string connection_closed(std::string_view peer);
std::string connection_lost(std::string_view peer, std::string_view reason);
std::string server_going_away(std::string_view peer, std::string_view why);
/// The target resolved to nothing usable (yet).
std::string no_addresses(std::string_view target, std::string_view why);
std::string not_serving(std::string_view target, std::string_view why);

}  // namespace idlrpc::detail::status_text
