// The canonical status codes of an RPC, with the meanings gRPC gave them.
#pragma once

#include <cstdint>
#include <string_view>

namespace idlrpc {

/// How an RPC ended. The numeric values are part of the wire protocol
/// (docs/protocol.md) and equal gRPC's, so logs and dashboards read the same.
enum class StatusCode : std::uint16_t {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
};

/// The largest valid code; anything above it received off the wire reads as UNKNOWN.
inline constexpr StatusCode kLastStatusCode = StatusCode::UNAUTHENTICATED;

/// "OK", "CANCELLED", ...: the code's name as written above.
std::string_view to_string(StatusCode code) noexcept;

}  // namespace idlrpc
