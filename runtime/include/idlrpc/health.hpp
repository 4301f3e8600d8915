// The server's health statuses, served by the idlrpc.health.v1.Health
// service (Check, Watch) and on HTTP as /readyz (docs/operations.md).
//
// Thread-safe: set_status may be called from any thread, handlers included.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "idlrpc/health/v1/health.idl.messages.h"

namespace idlrpc {

namespace detail {
class HealthState;
}

/// SERVING, NOT_SERVING, ... with gRPC's numbers.
using ServingStatus = health::v1::ServingStatus;

/// A handle to a server's health statuses, from Server::enable_health().
///
/// start() sets "" (the whole server) and every registered service to
/// SERVING, except those already set. shutdown() first sets every status to
/// NOT_SERVING (and Watch calls see it) and keeps them so, then drains.
class Health {
 public:
  /// Sets the status of a service ("package.Service") or of the whole
  /// server (""). Ignored once the server is shutting down.
  void set_status(std::string_view service, ServingStatus status);
  /// The status of a service, or none if it was never set.
  std::optional<ServingStatus> status(std::string_view service) const;

  // For the runtime.
  explicit Health(std::shared_ptr<detail::HealthState> state) noexcept : state_(std::move(state)) {}

 private:
  std::shared_ptr<detail::HealthState> state_;
};

}  // namespace idlrpc
