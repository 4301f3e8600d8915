// A channel's connectivity state (Channel::state(), docs/scaling.md):
// what its connections can do for a call right now. Standard library only.
#pragma once

#include <string_view>

namespace idlrpc {

/// The channel's state, aggregated over its addresses the way gRPC does:
/// any address ready: ready; else any connecting: connecting; else idle if
/// every address is idle; else transient_failure.
enum class ConnectivityState {
  /// No connection and none being made: the channel connects on the next
  /// call (or Channel::state(true)). Where a new channel starts, and where
  /// a pick_first channel returns when its connection closes or its
  /// backoff ends with no call waiting.
  idle,
  /// Resolving the target, or connecting (TCP, TLS, the protocol's HELLO).
  connecting,
  /// A connection takes calls.
  ready,
  /// Connects failed and every address is backing off (or the target is
  /// malformed or resolved to nothing): calls fail fast with UNAVAILABLE,
  /// except those made with CallOptions::wait_for_ready.
  transient_failure,
  /// The channel is gone (its last handle and its last call): only a wait
  /// still pending then sees this; Channel::state() never returns it.
  shutdown,
};

constexpr std::string_view to_string(ConnectivityState state) noexcept {
  switch (state) {
    case ConnectivityState::idle: return "idle";
    case ConnectivityState::connecting: return "connecting";
    case ConnectivityState::ready: return "ready";
    case ConnectivityState::transient_failure: return "transient_failure";
    case ConnectivityState::shutdown: return "shutdown";
  }
  return "unknown";
}

}  // namespace idlrpc
