// A service's method table, as a generated skeleton's definition() builds
// it: the class, with the blocking unary registration, which needs no Asio.
// The registrations of streaming and coroutine handlers are declared here
// and defined in service.hpp (they need stream.hpp and Asio's coroutines):
// a skeleton that uses one includes service.hpp, as the generated code does.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <capnp/any.h>

#include "idlrpc/detail/method_entry.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/wire/codec.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/service_base.hpp"

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

  // Defined in service.hpp.

  /// A coroutine unary handler, `Task<Response> fn(ServerContext&, const
  /// Request&)`, run on the connection's I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_unary(const MethodInfo& method, Fn fn);

  /// `void fn(ServerContext&, const Request&, ServerWriter<Response>&)`, on a thread of its own.
  template <class Request, class Response, class Fn>
  void add_server_streaming(const MethodInfo& method, Fn fn);
  /// `Response fn(ServerContext&, ServerReader<Request>&)`, on a thread of its own.
  template <class Request, class Response, class Fn>
  void add_client_streaming(const MethodInfo& method, Fn fn);
  /// `void fn(ServerContext&, ServerReaderWriter<Response, Request>&)`, on a thread of its own.
  template <class Request, class Response, class Fn>
  void add_bidi_streaming(const MethodInfo& method, Fn fn);

  /// `Task<void> fn(ServerContext&, const Request&, AsyncServerWriter<Response>&)`, on the I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_server_streaming(const MethodInfo& method, Fn fn);
  /// `Task<Response> fn(ServerContext&, AsyncServerReader<Request>&)`, on the I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_client_streaming(const MethodInfo& method, Fn fn);
  /// `Task<void> fn(ServerContext&, AsyncServerReaderWriter<Response, Request>&)`, on the I/O thread.
  template <class Request, class Response, class Fn>
  void add_async_bidi_streaming(const MethodInfo& method, Fn fn);

  const std::string& name() const noexcept { return name_; }
  const std::vector<detail::MethodEntry>& methods() const noexcept { return methods_; }

 private:
  std::string name_;
  std::vector<detail::MethodEntry> methods_;
};

}  // namespace idlrpc
