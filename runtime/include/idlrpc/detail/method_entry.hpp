// How the server holds one registered method: its descriptor plus the
// type-erased handler that the typed ServiceDefinition::add_* build. A
// method has exactly one handler kind; the variant says which, and the
// server's call classes (runtime/src/server) dispatch on it.
#pragma once

#include <functional>
#include <memory>
#include <variant>

#include <capnp/any.h>

#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/detail/task_fwd.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"

namespace idlrpc::detail {

/// A unary handler bound to its decoded request, ready to run.
using BlockingUnaryJob = std::function<OutFramePtr(ServerContext&)>;
using CoroutineUnaryJob = std::function<Task<OutFramePtr>(ServerContext&)>;

// The unary kinds decode the request on the I/O thread (throwing
// wire::DecodeError) and return the job that runs the handler: blocking
// jobs on the worker pool, coroutine jobs on the connection's I/O thread.
struct BlockingUnaryHandler {
  std::function<BlockingUnaryJob(capnp::AnyPointer::Reader)> bind;
};
struct CoroutineUnaryHandler {
  std::function<CoroutineUnaryJob(capnp::AnyPointer::Reader)> bind;
};

// The streaming kinds read and write through the call's StreamCore and
// return the response to send before the status (client streaming) or
// null (server and bidirectional streaming). Blocking ones run on a thread
// of their own (server/handler_threads.hpp), coroutine ones on the I/O
// thread.
struct BlockingStreamHandler {
  std::function<OutFramePtr(ServerContext&, const std::shared_ptr<StreamCore>&)> run;
};
struct CoroutineStreamHandler {
  std::function<Task<OutFramePtr>(ServerContext&, std::shared_ptr<StreamCore>)> run;
};

using MethodHandler =
    std::variant<BlockingUnaryHandler, CoroutineUnaryHandler, BlockingStreamHandler, CoroutineStreamHandler>;

struct MethodEntry {
  MethodInfo info;
  MethodHandler handler;

  bool is_streaming() const noexcept {
    return std::holds_alternative<BlockingStreamHandler>(handler) ||
           std::holds_alternative<CoroutineStreamHandler>(handler);
  }
};

}  // namespace idlrpc::detail
