// How the server holds one registered method: its descriptor plus
// type-erased entry points that the typed ServiceDefinition::add_* build.
#pragma once

#include <functional>

#include <capnp/any.h>

#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc::detail {

/// A handler bound to its decoded request, ready to run.
using BlockingUnaryJob = std::function<OutFramePtr(ServerContext&)>;
using CoroutineUnaryJob = std::function<Task<OutFramePtr>(ServerContext&)>;

struct MethodEntry {
  MethodInfo info;
  /// Exactly one of these is set. Each decodes the request on the I/O thread
  /// (throwing wire::DecodeError) and returns the job that runs the handler:
  /// a blocking job runs on the worker pool, a coroutine job on the I/O thread.
  std::function<BlockingUnaryJob(capnp::AnyPointer::Reader)> blocking_unary;
  std::function<CoroutineUnaryJob(capnp::AnyPointer::Reader)> coroutine_unary;
};

}  // namespace idlrpc::detail
