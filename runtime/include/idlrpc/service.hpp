// The server side of a service: how generated server skeletons register
// their methods (in the generated .cpp; the skeletons' base class is in
// service_base.hpp).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idlrpc/detail/method_entry.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/service_base.hpp"
#include "idlrpc/status.hpp"
#include "idlrpc/stream.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc {

/// The methods of one service, with their handlers. Generated skeletons
/// build it in definition(); the Server routes calls by method path.
class ServiceDefinition {
 public:
  explicit ServiceDefinition(std::string_view service_name) : name_(service_name) {}

  /// A blocking unary handler, `Response fn(ServerContext&, const Request&)`,
  /// run on the server's worker pool.
  template <class Request, class Response, class Fn>
  void add_unary(const MethodInfo& method, Fn fn) {
    auto bind = [fn = std::move(fn)](capnp::AnyPointer::Reader payload) {
      Request request;
      wire::decode(payload, request);
      return detail::BlockingUnaryJob([fn, request = std::move(request)](ServerContext& context) {
        return detail::encode_message<Response>(fn(context, request));
      });
    };
    methods_.push_back({method, detail::BlockingUnaryHandler{std::move(bind)}});
  }

  /// A coroutine unary handler, `Task<Response> fn(ServerContext&, const
  /// Request&)`, run on the connection's I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_unary(const MethodInfo& method, Fn fn) {
    auto bind = [fn = std::move(fn)](capnp::AnyPointer::Reader payload) {
      Request request;
      wire::decode(payload, request);
      return detail::CoroutineUnaryJob([fn, request = std::move(request)](ServerContext& context) {
        return run_coroutine_unary<Response>(fn, request, context);
      });
    };
    methods_.push_back({method, detail::CoroutineUnaryHandler{std::move(bind)}});
  }

  /// `void fn(ServerContext&, const Request&, ServerWriter<Response>&)`, on the worker pool.
  template <class Request, class Response, class Fn>
  void add_server_streaming(const MethodInfo& method, Fn fn) {
    add_blocking_stream(method, [fn = std::move(fn)](ServerContext& context, const std::shared_ptr<detail::StreamCore>& core) {
      const Request request = read_single_request<Request>(core);
      ServerWriter<Response> writer(core);
      fn(context, request, writer);
      return detail::OutFramePtr();
    });
  }
  /// `Response fn(ServerContext&, ServerReader<Request>&)`, on the worker pool.
  template <class Request, class Response, class Fn>
  void add_client_streaming(const MethodInfo& method, Fn fn) {
    add_blocking_stream(method, [fn = std::move(fn)](ServerContext& context, const std::shared_ptr<detail::StreamCore>& core) {
      ServerReader<Request> reader(core);
      return detail::encode_message<Response>(fn(context, reader));
    });
  }
  /// `void fn(ServerContext&, ServerReaderWriter<Response, Request>&)`, on the worker pool.
  template <class Request, class Response, class Fn>
  void add_bidi_streaming(const MethodInfo& method, Fn fn) {
    add_blocking_stream(method, [fn = std::move(fn)](ServerContext& context, const std::shared_ptr<detail::StreamCore>& core) {
      ServerReaderWriter<Response, Request> stream(core);
      fn(context, stream);
      return detail::OutFramePtr();
    });
  }

  /// `Task<void> fn(ServerContext&, const Request&, AsyncServerWriter<Response>&)`, on the I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_server_streaming(const MethodInfo& method, Fn fn) {
    add_coroutine_stream(method, [fn = std::move(fn)](ServerContext& context, std::shared_ptr<detail::StreamCore> core) {
      return run_async_server_streaming<Request, Response>(fn, std::move(core), context);
    });
  }
  /// `Task<Response> fn(ServerContext&, AsyncServerReader<Request>&)`, on the I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_client_streaming(const MethodInfo& method, Fn fn) {
    add_coroutine_stream(method, [fn = std::move(fn)](ServerContext& context, std::shared_ptr<detail::StreamCore> core) {
      return run_async_client_streaming<Request, Response>(fn, std::move(core), context);
    });
  }
  /// `Task<void> fn(ServerContext&, AsyncServerReaderWriter<Response, Request>&)`, on the I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_bidi_streaming(const MethodInfo& method, Fn fn) {
    add_coroutine_stream(method, [fn = std::move(fn)](ServerContext& context, std::shared_ptr<detail::StreamCore> core) {
      return run_async_bidi_streaming<Request, Response>(fn, std::move(core), context);
    });
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

  template <class Run>
  void add_blocking_stream(const MethodInfo& method, Run run) {
    methods_.push_back({method, detail::BlockingStreamHandler{std::move(run)}});
  }
  template <class Run>
  void add_coroutine_stream(const MethodInfo& method, Run run) {
    methods_.push_back({method, detail::CoroutineStreamHandler{std::move(run)}});
  }

  // A server-streaming call starts with exactly one request message.
  template <class Request>
  static Request read_single_request(const std::shared_ptr<detail::StreamCore>& core) {
    std::optional<Request> request = detail::read_message<Request>(core, false);
    if (!request) {
      throw Error(StatusCode::INVALID_ARGUMENT, std::string(detail::status_text::kServerStreamingNoRequest));
    }
    return std::move(*request);
  }

  template <class Request, class Response, class Fn>
  static Task<detail::OutFramePtr> run_async_server_streaming(Fn fn, std::shared_ptr<detail::StreamCore> core,
                                                              ServerContext& context) {
    std::optional<Request> request =
        co_await detail::async_read_message<Request>(core, false, boost::asio::use_awaitable);
    if (!request) {
      throw Error(StatusCode::INVALID_ARGUMENT, std::string(detail::status_text::kServerStreamingNoRequest));
    }
    AsyncServerWriter<Response> writer(std::move(core));
    co_await fn(context, static_cast<const Request&>(*request), writer);
    co_return detail::OutFramePtr();
  }
  template <class Request, class Response, class Fn>
  static Task<detail::OutFramePtr> run_async_client_streaming(Fn fn, std::shared_ptr<detail::StreamCore> core,
                                                              ServerContext& context) {
    AsyncServerReader<Request> reader(std::move(core));
    Response response = co_await fn(context, reader);
    co_return detail::encode_message(response);
  }
  template <class Request, class Response, class Fn>
  static Task<detail::OutFramePtr> run_async_bidi_streaming(Fn fn, std::shared_ptr<detail::StreamCore> core,
                                                            ServerContext& context) {
    AsyncServerReaderWriter<Response, Request> stream(std::move(core));
    co_await fn(context, stream);
    co_return detail::OutFramePtr();
  }

  std::string name_;
  std::vector<detail::MethodEntry> methods_;
};

}  // namespace idlrpc
