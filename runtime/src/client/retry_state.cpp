#include "client/retry_state.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "client/retry_throttle.hpp"
#include "idlrpc/detail/contract.hpp"

namespace idlrpc::detail {
namespace {

// At most 5 attempts, as gRPC allows: more only adds load.
constexpr std::uint32_t kMaxAttempts = 5;

void check(const RetryPolicy& policy) {
  IDLRPC_REQUIRE(policy.max_attempts >= 1 && policy.max_attempts <= kMaxAttempts,
                 "RetryPolicy::max_attempts must be from 1 to 5");
  IDLRPC_REQUIRE(policy.initial_backoff.count() > 0 && policy.max_backoff >= policy.initial_backoff,
                 "RetryPolicy: initial_backoff must be positive and at most max_backoff");
  IDLRPC_REQUIRE(policy.backoff_multiplier >= 1.0, "RetryPolicy::backoff_multiplier must be at least 1");
  IDLRPC_REQUIRE(std::none_of(policy.retryable_codes.begin(), policy.retryable_codes.end(),
                              [](StatusCode code) { return code == StatusCode::OK; }),
                 "RetryPolicy::retryable_codes cannot hold OK");
}

}  // namespace

RetryState::RetryState(const ChannelOptions& channel, const MethodInfo& method, const CallOptions& call)
    : transparent_left_(channel.max_transparent_retries) {
  if (call.retry_policy) {
    policy_ = call.retry_policy;
  } else if (auto it = channel.method_retry_policies.find(method.path); it != channel.method_retry_policies.end()) {
    policy_ = it->second;
  } else if (method.idempotency != Idempotency::kUnknown && channel.idempotent_retry_policy) {
    policy_ = channel.idempotent_retry_policy;
  } else {
    policy_ = channel.retry_policy;
  }
  if (policy_) check(*policy_);
}

bool RetryState::retries(StatusCode code) const noexcept {
  return policy_ && std::find(policy_->retryable_codes.begin(), policy_->retryable_codes.end(), code) !=
                        policy_->retryable_codes.end();
}

std::optional<std::chrono::milliseconds> RetryState::next_attempt(RetryThrottle& throttle) {
  IDLRPC_ASSERT(policy_.has_value());
  throttle.on_failure();
  if (attempts_ >= policy_->max_attempts || !throttle.allows_retry()) return std::nullopt;
  // Full jitter: uniform in [0, min(initial * multiplier^(n-1), max)].
  const double cap = std::min(static_cast<double>(policy_->initial_backoff.count()) *
                                  std::pow(policy_->backoff_multiplier, attempts_ - 1),
                              static_cast<double>(policy_->max_backoff.count()));
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.0, cap);
  ++attempts_;
  return std::chrono::milliseconds(static_cast<std::int64_t>(jitter(random)));
}

bool RetryState::take_transparent_retry() noexcept {
  if (transparent_left_ == 0) return false;
  --transparent_left_;
  return true;
}

}  // namespace idlrpc::detail
