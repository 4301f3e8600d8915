// A channel's retry budget (RetryBudget in idlrpc/retry_policy.hpp): a
// token bucket, gRPC's retry throttling. Failed attempts drain it,
// successful calls refill it slowly; below half full, no retries. It is
// what keeps a client from tripling the load on servers that are already
// failing.
//
// Threads: the channel's I/O thread only.
#pragma once

#include <algorithm>

#include "idlrpc/retry_policy.hpp"

namespace idlrpc::detail {

class RetryThrottle {
 public:
  explicit RetryThrottle(const RetryBudget& budget)
      : max_(std::max(budget.max_tokens, 1.0)), ratio_(budget.token_ratio), tokens_(max_) {}

  /// An attempt failed with a code its policy retries.
  void on_failure() noexcept { tokens_ = std::max(tokens_ - 1, 0.0); }
  /// A call (with a policy) ended without such a failure.
  void on_success() noexcept { tokens_ = std::min(tokens_ + ratio_, max_); }
  /// Whether a retry may be made now.
  bool allows_retry() const noexcept { return tokens_ > max_ / 2; }

 private:
  double max_;
  double ratio_;
  double tokens_;
};

}  // namespace idlrpc::detail
