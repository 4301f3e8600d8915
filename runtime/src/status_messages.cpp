// The texts of status_messages.hpp that carry values.
#include "idlrpc/detail/status_messages.hpp"

#include <fmt/format.h>

namespace idlrpc::detail::status_text {
namespace {

// A method path is the peer's text: echo at most this much of it.
constexpr std::size_t kMaxEchoedMethodBytes = 128;

}  // namespace

std::string unknown_method(std::string_view path) {
  if (path.size() <= kMaxEchoedMethodBytes) return fmt::format("unknown method \"{}\"", path);
  return fmt::format("unknown method \"{}...\" ({} bytes)", path.substr(0, kMaxEchoedMethodBytes), path.size());
}

std::string too_many_calls(std::uint32_t limit) {
  return fmt::format("too many concurrent calls on one connection (limit {})", limit);
}

std::string too_many_blocking_streams(unsigned limit) {
  return fmt::format("too many blocking streaming calls at once (limit {})", limit);
}

std::string input_budget_exhausted(std::uint64_t limit) {
  return fmt::format("server is out of memory for buffered input (limit {} bytes)", limit);
}

std::string cannot_decode_request(std::string_view why) { return fmt::format("cannot decode the request: {}", why); }
std::string cannot_decode_response(std::string_view why) { return fmt::format("cannot decode the response: {}", why); }
std::string cannot_decode_message(std::string_view why) { return fmt::format("cannot decode a message: {}", why); }

std::string too_large(Oversized what, std::size_t bytes, std::size_t limit) {
  std::string_view subject = "message";
  std::string_view whose = "the limit";
  switch (what) {
    case Oversized::kRequestForChannel:
      subject = "request";
      whose = "the channel's limit";
      break;
    case Oversized::kRequestForServer:
      subject = "request";
      whose = "the server's limit";
      break;
    case Oversized::kResponse:
      subject = "response";
      break;
    case Oversized::kMessage:
      break;
    case Oversized::kRequestMetadata:
      subject = "request metadata";
      break;
    case Oversized::kResponseMetadata:
      subject = "response metadata";
      break;
  }
  return fmt::format("{} of {} bytes exceeds {} of {} bytes", subject, bytes, whose, limit);
}

std::string stream_window_overrun(std::size_t unread, std::uint32_t window) {
  return fmt::format("peer sent {} bytes beyond the stream window of {} bytes", unread, window);
}

std::string cannot_connect(std::string_view target, std::string_view reason) {
  return fmt::format("cannot connect to {}: {}", target, reason);
}

std::string backing_off(std::string_view target, std::string_view last_failure, std::int64_t wait_ms) {
  return fmt::format("cannot reach {}: {} (next attempt in {} ms)", target, last_failure, wait_ms);
}

std::string connection_closed(std::string_view peer) { return fmt::format("connection to {} closed", peer); }

std::string connection_lost(std::string_view peer, std::string_view reason) {
  return fmt::format("connection to {} lost: {}", peer, reason);
}

std::string server_going_away(std::string_view peer, std::string_view why) {
  return fmt::format("server at {} is going away: {}", peer, why);
}

std::string no_addresses(std::string_view target, std::string_view why) {
  return fmt::format("no address to call for {}: {}", target, why);
}

std::string not_serving(std::string_view target, std::string_view why) {
  return fmt::format("no server of {} is serving: {}", target, why);
}

}  // namespace idlrpc::detail::status_text
