// Checked contracts, in the two kinds Cap'n Proto's KJ_REQUIRE and
// KJ_ASSERT separate:
//
//   IDLRPC_REQUIRE(condition, "what the caller did wrong")
//     A precondition of the public API: the caller broke it (two reads at
//     once on one stream, a blocking call on an I/O thread). Throws
//     std::logic_error("idlrpc: " + message) on the caller's thread; the
//     call, the connection and the server are untouched.
//
//   IDLRPC_ASSERT(condition)
//     An invariant of idlrpc's own: if it fails, idlrpc has a bug and its
//     state can no longer be trusted. Prints the condition and where it is
//     and aborts (in every build type: going on would corrupt calls
//     silently, which is worse than a crash that names the line).
//
// Both cost one well-predicted branch when they hold; the failure paths are
// out of line.
#pragma once

#include <string_view>

namespace idlrpc::detail {

/// Throws std::logic_error("idlrpc: " + message).
[[noreturn]] void require_failed(std::string_view message);
/// Prints "idlrpc internal error: `condition` at file:line" and aborts.
[[noreturn]] void assert_failed(const char* condition, const char* file, int line) noexcept;

}  // namespace idlrpc::detail

#define IDLRPC_REQUIRE(condition, message)                                     \
  do {                                                                         \
    if (!(condition)) [[unlikely]] ::idlrpc::detail::require_failed(message);  \
  } while (false)

#define IDLRPC_ASSERT(condition)                                                             \
  do {                                                                                       \
    if (!(condition)) [[unlikely]] ::idlrpc::detail::assert_failed(#condition, __FILE__, __LINE__); \
  } while (false)
