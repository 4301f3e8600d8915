// How the server holds one registered method: its descriptor plus
// type-erased entry points that the typed ServiceDefinition::add_* build.
#pragma once

#include <functional>
#include <memory>

#include <capnp/any.h>

#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc::detail {

/// A handler bound to its decoded request, ready to run.
using BlockingUnaryJob = std::function<OutFramePtr(ServerContext&)>;
using CoroutineUnaryJob = std::function<Task<OutFramePtr>(ServerContext&)>;

/// A streaming handler, wrapped: it reads and writes through the call's
/// StreamCore and returns the response to send before the status (client
/// streaming) or null (server and bidirectional streaming).
using BlockingStreamHandler = std::function<OutFramePtr(ServerContext&, const std::shared_ptr<StreamCore>&)>;
using CoroutineStreamHandler = std::function<Task<OutFramePtr>(ServerContext&, std::shared_ptr<StreamCore>)>;

struct MethodEntry {
  MethodInfo info;
  /// Exactly one of these is set. The unary ones decode the request on the
  /// I/O thread (throwing wire::DecodeError) and return the job that runs
  /// the handler. Blocking jobs and handlers run on the worker pool,
  /// coroutine ones on the connection's I/O thread.
  std::function<BlockingUnaryJob(capnp::AnyPointer::Reader)> blocking_unary;
  std::function<CoroutineUnaryJob(capnp::AnyPointer::Reader)> coroutine_unary;
  BlockingStreamHandler blocking_stream;
  CoroutineStreamHandler coroutine_stream;
};

}  // namespace idlrpc::detail
