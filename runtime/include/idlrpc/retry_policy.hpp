// Retrying calls the application declares safe to repeat (docs/scaling.md):
// how often, how long to wait between attempts, on which codes, and the
// per-channel budget that keeps retries from multiplying load in an outage.
// gRPC's retry design (gRFC A6), minus hedging.
#pragma once

#include <cstdint>
#include <vector>

#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/status.hpp"

namespace idlrpc {

/// Retries of one unary call. A call is only retried when it failed with
/// one of `retryable_codes` and no response message arrived; its deadline
/// covers every attempt. Streaming calls are never retried by a policy (the
/// messages already written cannot be replayed); calls refused before any
/// byte reached a server are retried whatever the policy (transparent
/// retries).
struct RetryPolicy {
  /// Attempts in all, the first included: 1 means no retry. At most 5.
  std::uint32_t max_attempts = 3;
  /// The wait before retry n is random in [0, min(initial_backoff *
  /// multiplier^(n-1), max_backoff)] ("full jitter": clients that failed
  /// together do not come back together).
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{1000};
  double backoff_multiplier = 2.0;
  std::vector<StatusCode> retryable_codes{StatusCode::UNAVAILABLE};
};

/// A channel's retry budget (gRPC's retry throttling): a token bucket that
/// starts full. A failed attempt takes one token, a successful call puts
/// back `token_ratio`; retries happen only while more than half the tokens
/// are left. So once most calls fail, retries stop adding load.
struct RetryBudget {
  double max_tokens = 10;
  double token_ratio = 0.1;
};

}  // namespace idlrpc
