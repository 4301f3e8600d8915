// The retry side of one client call: which policy applies (the call's own,
// else its method's, else the channel's for idempotent methods, else the
// channel's), how many attempts were made,
// and how long to wait before the next one. ClientCall asks it after each
// failed attempt.
//
// Threads: constructed on the caller's thread (where a bad policy throws
// std::logic_error); used on the channel's I/O thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/retry_policy.hpp"

namespace idlrpc::detail {

class RetryThrottle;

class RetryState {
 public:
  RetryState(const ChannelOptions& channel, const MethodInfo& method, const CallOptions& call);

  bool has_policy() const noexcept { return policy_.has_value(); }
  /// Whether the policy retries `code` at all (the budget aside).
  bool retries(StatusCode code) const noexcept;
  /// After an attempt that failed with a retryable code: whether another
  /// attempt may be made (attempts left, budget), and the wait before it.
  std::optional<std::chrono::milliseconds> next_attempt(RetryThrottle& throttle);

  /// Transparent retries (calls refused before reaching a server): one
  /// more allowed?
  bool take_transparent_retry() noexcept;

 private:
  std::optional<RetryPolicy> policy_;
  std::uint32_t attempts_ = 1;  // made so far, the first included
  std::uint32_t transparent_left_;
};

}  // namespace idlrpc::detail
