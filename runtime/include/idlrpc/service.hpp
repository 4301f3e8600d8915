// The server side of a service: what generated server skeletons derive from
// and register their methods with.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idlrpc/detail/method_entry.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/status.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc {

class Server;

/// The methods of one service, with their handlers. Generated skeletons
/// build it in definition(); the Server routes calls by method path.
class ServiceDefinition {
 public:
  explicit ServiceDefinition(std::string_view service_name) : name_(service_name) {}

  /// A blocking unary handler, `Response fn(ServerContext&, const Request&)`,
  /// run on the server's worker pool.
  template <Message Request, Message Response, class Fn>
  void add_unary(const MethodInfo& method, Fn fn) {
    detail::MethodEntry entry{method, {}, {}};
    entry.blocking_unary = [fn = std::move(fn)](capnp::AnyPointer::Reader payload) {
      Request request;
      wire::decode(payload, request);
      return detail::BlockingUnaryJob(
          [fn, request = std::move(request)](ServerContext& context) {
            return detail::encode_message<Response>(fn(context, request));
          });
    };
    methods_.push_back(std::move(entry));
  }

  /// A coroutine unary handler, `Task<Response> fn(ServerContext&, const
  /// Request&)`, run on the connection's I/O thread.
  template <Message Request, Message Response, class Fn>
  void add_async_unary(const MethodInfo& method, Fn fn) {
    detail::MethodEntry entry{method, {}, {}};
    entry.coroutine_unary = [fn = std::move(fn)](capnp::AnyPointer::Reader payload) {
      Request request;
      wire::decode(payload, request);
      return detail::CoroutineUnaryJob([fn, request = std::move(request)](ServerContext& context) {
        return run_coroutine_unary<Response>(fn, request, context);
      });
    };
    methods_.push_back(std::move(entry));
  }

  const std::string& name() const noexcept { return name_; }
  const std::vector<detail::MethodEntry>& methods() const noexcept { return methods_; }

 private:
  // A free coroutine (not a lambda) so that its arguments live in the
  // coroutine frame, however long the handler runs.
  template <class Response, class Fn, class Request>
  static Task<detail::OutFramePtr> run_coroutine_unary(Fn fn, Request request, ServerContext& context) {
    Response response = co_await fn(context, request);
    co_return detail::encode_message(response);
  }

  std::string name_;
  std::vector<detail::MethodEntry> methods_;
};

/// Base of every generated skeleton (`Teams::Service`, `Teams::AsyncService`).
/// Register an instance with Server::add_service; it must outlive the server.
class Service {
 public:
  virtual ~Service() = default;

 private:
  friend class Server;
  virtual ServiceDefinition definition() = 0;
};

}  // namespace idlrpc
