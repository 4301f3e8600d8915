// Per-call settings of a client call: deadline, metadata, cancellation.
#pragma once

#include <memory>
#include <optional>
#include <stop_token>
#include <string_view>

#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/retry_policy.hpp"

namespace idlrpc {

class ServerContext;
class CallCredentials;

/// The metadata a server sent back with its response.
struct ResponseMetadata {
  Metadata initial{};   // before the response
  Metadata trailing{};  // with the status
};

/// The clock of every deadline in idlrpc.
using Clock = std::chrono::steady_clock;

/// How one client call is made. Default: no deadline, no metadata beyond
/// the user-agent the runtime adds, not cancellable.
struct CallOptions {
  /// The call fails with DEADLINE_EXCEEDED if it has not ended by then; the
  /// server receives the remaining time and cancels its handler too.
  std::optional<Clock::time_point> deadline{};
  /// Sent to the server with the request.
  Metadata metadata{};
  /// Request a stop on the matching std::stop_source, from any thread, to
  /// cancel the call: it ends with CANCELLED and the server sees it cancelled.
  std::stop_token cancellation{};
  /// If set, receives the server's response metadata; it is filled in
  /// before the call completes (before the blocking call returns or the
  /// completion handler runs), so it must outlive the call.
  ResponseMetadata* response_metadata = nullptr;
  /// Proof of the caller's identity added to the metadata (a bearer
  /// token: idlrpc/auth.hpp); never sent in plaintext off this machine.
  std::shared_ptr<CallCredentials> credentials{};

  /// While the channel cannot connect (every address backing off after a
  /// failed connect: ConnectivityState::transient_failure), the call waits
  /// for a connection until its deadline or cancellation, through as many
  /// reconnect attempts as that takes, instead of failing fast with
  /// UNAVAILABLE. A malformed target still fails it at once.
  bool wait_for_ready = false;

  // --- Retries (docs/scaling.md) ---

  /// This call's retry policy, instead of the channel's for its method.
  /// Retrying is only for calls that are safe to repeat.
  std::optional<RetryPolicy> retry_policy{};

  /// deadline = now + timeout.
  CallOptions& set_timeout(Clock::duration timeout) {
    deadline = Clock::now() + timeout;
    return *this;
  }
  CallOptions& set_deadline(Clock::time_point when) {
    deadline = when;
    return *this;
  }
  CallOptions& add_metadata(std::string_view key, std::string_view value) {
    metadata.add(key, value);
    return *this;
  }
  CallOptions& set_cancellation(std::stop_token token) {
    cancellation = std::move(token);
    return *this;
  }
  CallOptions& set_wait_for_ready(bool wait = true) {
    wait_for_ready = wait;
    return *this;
  }
  CallOptions& set_retry_policy(RetryPolicy policy) {
    retry_policy = std::move(policy);
    return *this;
  }

  /// Options for a call a handler makes on behalf of its own call: the
  /// child inherits the remaining deadline and is cancelled when the parent
  /// is (deadline propagation across hops).
  static CallOptions from(const ServerContext& parent);
};

}  // namespace idlrpc
