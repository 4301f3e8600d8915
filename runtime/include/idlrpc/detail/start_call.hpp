// The seam between the typed client API (the templates in client.hpp) and
// the runtime: calls are started through these functions and report back
// through these interfaces. Implemented in runtime/src/client.
#pragma once

#include <memory>

#include <capnp/any.h>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/call_result.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/method.hpp"

namespace idlrpc::detail {

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

/// Opens a streaming call (any kind but unary) on `channel`.
std::shared_ptr<StreamCore> start_stream_call(const Channel& channel, const MethodInfo& method,
                                              const CallOptions& options);

}  // namespace idlrpc::detail
