// The idlrpc.health.v1.Health service (runtime/idl/idlrpc/health/v1/
// health.idl) over a HealthState: Check answers from it, Watch streams its
// changes. Coroutine handlers, so a Watch holds no thread while it waits.
#pragma once

#include <memory>

#include "health/health_state.hpp"
#include "idlrpc/health/v1/health.idl.async.h"

namespace idlrpc::detail {

class HealthService final : public health::v1::Health::AsyncService {
 public:
  explicit HealthService(std::shared_ptr<HealthState> state) : state_(std::move(state)) {}

  Task<health::v1::HealthCheckResponse> Check(ServerContext& context,
                                              const health::v1::HealthCheckRequest& request) override;
  Task<void> Watch(ServerContext& context, const health::v1::HealthCheckRequest& request,
                   AsyncServerWriter<health::v1::HealthCheckResponse>& writer) override;

 private:
  std::shared_ptr<HealthState> state_;
};

}  // namespace idlrpc::detail
