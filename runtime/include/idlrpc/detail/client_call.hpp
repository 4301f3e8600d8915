// The seam between the typed client API (templates in client.hpp and
// stream.hpp) and the transport (runtime/src): calls are started through
// these functions and report back through these interfaces.
#pragma once

#include <memory>
#include <string>

#include <capnp/any.h>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/status.hpp"

namespace idlrpc::detail {

/// How a call ended, as the client saw it.
struct CallResult {
  StatusCode code = StatusCode::OK;
  std::string message;
  Metadata initial_metadata;
  Metadata trailing_metadata;
};

/// The typed half of a unary call. Both functions run on the channel's I/O
/// thread; on_complete exactly once, after on_response when the code is OK.
class UnaryResponseSink {
 public:
  virtual ~UnaryResponseSink() = default;
  /// Decodes the response; throws wire::DecodeError.
  virtual void on_response(capnp::AnyPointer::Reader payload) = 0;
  virtual void on_complete(CallResult result) = 0;
};

/// Lets another thread cancel a call in flight (thread-safe, idempotent).
class CallCanceller {
 public:
  virtual ~CallCanceller() = default;
  virtual void cancel() = 0;
};

/// Starts a unary call; `sink` hears how it ends. Never throws for call
/// failures: they all arrive through on_complete.
std::shared_ptr<CallCanceller> start_unary_call(const Channel& channel, const MethodInfo& method,
                                                OutFramePtr request, const CallOptions& options,
                                                std::shared_ptr<UnaryResponseSink> sink);

/// RpcError for `result` (whose code is not OK).
std::exception_ptr make_rpc_error(CallResult&& result);

}  // namespace idlrpc::detail
