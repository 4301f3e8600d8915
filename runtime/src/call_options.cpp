#include "idlrpc/call_options.hpp"

#include "idlrpc/server_context.hpp"

namespace idlrpc {

CallOptions CallOptions::from(const ServerContext& parent) {
  CallOptions options;
  options.deadline = parent.deadline();
  options.cancellation = parent.cancellation();
  // W3C Trace Context: the next hop continues the caller's trace (with
  // Tracing's server interceptor, traceparent names this call's span).
  for (const std::string_view key : {"traceparent", "tracestate"}) {
    if (auto value = parent.client_metadata().get(key)) options.metadata.add(key, *value);
  }
  return options;
}

}  // namespace idlrpc
