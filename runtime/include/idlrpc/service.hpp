// The server side of a service: how generated server skeletons register
// their methods. The class and its blocking unary registration are in
// service_definition.hpp (no Asio); this adds the registrations of
// streaming and coroutine handlers, which need the stream types and Asio's
// coroutines. (The skeletons' base class is in service_base.hpp.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/use_awaitable.hpp>

#include "idlrpc/detail/method_entry.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/service_definition.hpp"
#include "idlrpc/status.hpp"
#include "idlrpc/stream.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc {

namespace detail {

// The coroutines below are free functions (not lambdas) so that their
// arguments live in the coroutine frame, however long the handler runs.

template <class Response, class Fn, class Request>
Task<OutFramePtr> run_coroutine_unary(Fn fn, Request request, ServerContext& context) {
  Response response = co_await fn(context, request);
  co_return encode_message(response);
}

// A server-streaming call starts with exactly one request message.
template <class Request>
Request read_single_request(const std::shared_ptr<StreamCore>& core) {
  std::optional<Request> request = read_message<Request>(core, false);
  if (!request) throw Error(StatusCode::INVALID_ARGUMENT, std::string(status_text::kServerStreamingNoRequest));
  return std::move(*request);
}

template <class Request, class Response, class Fn>
Task<OutFramePtr> run_async_server_streaming(Fn fn, std::shared_ptr<StreamCore> core, ServerContext& context) {
  std::optional<Request> request = co_await async_read_message<Request>(core, false, boost::asio::use_awaitable);
  if (!request) throw Error(StatusCode::INVALID_ARGUMENT, std::string(status_text::kServerStreamingNoRequest));
  AsyncServerWriter<Response> writer(std::move(core));
  co_await fn(context, static_cast<const Request&>(*request), writer);
  co_return OutFramePtr();
}

template <class Request, class Response, class Fn>
Task<OutFramePtr> run_async_client_streaming(Fn fn, std::shared_ptr<StreamCore> core, ServerContext& context) {
  AsyncServerReader<Request> reader(std::move(core));
  Response response = co_await fn(context, reader);
  co_return encode_message(response);
}

template <class Request, class Response, class Fn>
Task<OutFramePtr> run_async_bidi_streaming(Fn fn, std::shared_ptr<StreamCore> core, ServerContext& context) {
  AsyncServerReaderWriter<Response, Request> stream(std::move(core));
  co_await fn(context, stream);
  co_return OutFramePtr();
}

}  // namespace detail

template <class Request, class Response, class Fn>
void ServiceDefinition::add_async_unary(const MethodInfo& method, Fn fn) {
  auto bind = [fn = std::move(fn)](capnp::AnyPointer::Reader payload) {
    Request request;
    wire::decode(payload, request);
    return detail::CoroutineUnaryJob([fn, request = std::move(request)](ServerContext& context) {
      return detail::run_coroutine_unary<Response>(fn, request, context);
    });
  };
  methods_.push_back({method, detail::CoroutineUnaryHandler{std::move(bind)}});
}

template <class Request, class Response, class Fn>
void ServiceDefinition::add_server_streaming(const MethodInfo& method, Fn fn) {
  auto run = [fn = std::move(fn)](ServerContext& context, const std::shared_ptr<detail::StreamCore>& core) {
    const Request request = detail::read_single_request<Request>(core);
    ServerWriter<Response> writer(core);
    fn(context, request, writer);
    return detail::OutFramePtr();
  };
  methods_.push_back({method, detail::BlockingStreamHandler{std::move(run)}});
}

template <class Request, class Response, class Fn>
void ServiceDefinition::add_client_streaming(const MethodInfo& method, Fn fn) {
  auto run = [fn = std::move(fn)](ServerContext& context, const std::shared_ptr<detail::StreamCore>& core) {
    ServerReader<Request> reader(core);
    return detail::encode_message<Response>(fn(context, reader));
  };
  methods_.push_back({method, detail::BlockingStreamHandler{std::move(run)}});
}

template <class Request, class Response, class Fn>
void ServiceDefinition::add_bidi_streaming(const MethodInfo& method, Fn fn) {
  auto run = [fn = std::move(fn)](ServerContext& context, const std::shared_ptr<detail::StreamCore>& core) {
    ServerReaderWriter<Response, Request> stream(core);
    fn(context, stream);
    return detail::OutFramePtr();
  };
  methods_.push_back({method, detail::BlockingStreamHandler{std::move(run)}});
}

template <class Request, class Response, class Fn>
void ServiceDefinition::add_async_server_streaming(const MethodInfo& method, Fn fn) {
  auto run = [fn = std::move(fn)](ServerContext& context, std::shared_ptr<detail::StreamCore> core) {
    return detail::run_async_server_streaming<Request, Response>(fn, std::move(core), context);
  };
  methods_.push_back({method, detail::CoroutineStreamHandler{std::move(run)}});
}

template <class Request, class Response, class Fn>
void ServiceDefinition::add_async_client_streaming(const MethodInfo& method, Fn fn) {
  auto run = [fn = std::move(fn)](ServerContext& context, std::shared_ptr<detail::StreamCore> core) {
    return detail::run_async_client_streaming<Request, Response>(fn, std::move(core), context);
  };
  methods_.push_back({method, detail::CoroutineStreamHandler{std::move(run)}});
}

template <class Request, class Response, class Fn>
void ServiceDefinition::add_async_bidi_streaming(const MethodInfo& method, Fn fn) {
  auto run = [fn = std::move(fn)](ServerContext& context, std::shared_ptr<detail::StreamCore> core) {
    return detail::run_async_bidi_streaming<Request, Response>(fn, std::move(core), context);
  };
  methods_.push_back({method, detail::CoroutineStreamHandler{std::move(run)}});
}

}  // namespace idlrpc
