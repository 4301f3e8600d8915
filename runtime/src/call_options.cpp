#include "idlrpc/call_options.hpp"

#include "idlrpc/server_context.hpp"

namespace idlrpc {

CallOptions CallOptions::from(const ServerContext& parent) {
  CallOptions options;
  options.deadline = parent.deadline();
  options.cancellation = parent.cancellation();
  return options;
}

}  // namespace idlrpc
