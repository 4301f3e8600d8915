// How a call ended, as the typed API receives it from the runtime, and the
// RpcError a failed one becomes.
#pragma once

#include <exception>
#include <string>

#include "idlrpc/metadata.hpp"
#include "idlrpc/status.hpp"

namespace idlrpc::detail {

/// How a call ended, as the client saw it (a server handler's reads see
/// OK when the client half-closed, the cancellation's code otherwise).
struct CallResult {
  StatusCode code = StatusCode::OK;
  std::string message;
  Metadata initial_metadata;
  Metadata trailing_metadata;
};

/// RpcError for `result` (whose code is not OK).
std::exception_ptr make_rpc_error(CallResult&& result);

}  // namespace idlrpc::detail
