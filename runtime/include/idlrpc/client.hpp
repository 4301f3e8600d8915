// The client side of a call: what generated client stubs call. Each method
// comes blocking (throws RpcError; the unary one is in unary_call.hpp,
// without Asio) and asynchronous (takes any Asio completion token;
// completion signature void(std::exception_ptr, Response)).
//
// Templates here and in service.hpp, stream.hpp take message types
// unconstrained (`class`, not `Message`): generated headers call them
// before the messages' MessageTraits are declared, and a concept checked
// there would fail (and GCC would remember the failure). wire::encode and
// wire::decode check Message<T> where the messages are actually used.
#pragma once

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/completion.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/start_call.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/stream.hpp"
#include "idlrpc/unary_call.hpp"

namespace idlrpc {

namespace detail {

/// Delivers a unary call's outcome to an Asio completion handler.
template <class Response, class Handler>
class UnaryCompletion final : public UnaryResponseSink {
 public:
  UnaryCompletion(Handler handler, boost::asio::any_io_executor io)
      : handler_(std::move(handler)), io_(std::move(io)) {}

  void on_response(capnp::AnyPointer::Reader payload) override { wire::decode(payload, response_); }

  void on_complete(CallResult result) override {
    std::exception_ptr error;
    if (result.code != StatusCode::OK) {
      error = make_rpc_error(std::move(result));
      response_ = Response{};
    }
    complete_with(std::move(handler_), io_, std::move(error), std::move(response_));
  }

 private:
  Handler handler_;
  boost::asio::any_io_executor io_;
  Response response_{};
};

}  // namespace detail

/// Starts a unary call and returns at once; `token` receives
/// (std::exception_ptr error, Response response): error is an RpcError
/// when the call did not end OK. Works with callbacks, asio::use_future and
/// asio::use_awaitable. The request is encoded before this returns.
template <class Response, class Request, class CompletionToken>
auto async_unary_call(const Channel& channel, const MethodInfo& method, const Request& request,
                      const CallOptions& options, CompletionToken&& token) {
  auto initiation = [](auto handler, Channel channel, const MethodInfo* method,
                       detail::OutFramePtr frame, CallOptions options) {
    using Handler = std::decay_t<decltype(handler)>;
    // Taken before the call starts: once started, it may complete (and the
    // handler be moved away) on the I/O thread at any moment.
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    auto sink = std::make_shared<detail::UnaryCompletion<Response, Handler>>(std::move(handler),
                                                                              channel.executor());
    auto canceller = detail::start_unary_call(channel, *method, std::move(frame), options, std::move(sink));
    // Asio per-operation cancellation (e.g. awaitable_operators `||`)
    // cancels the call; after completion it is a no-op.
    if (slot.is_connected()) {
      slot.assign([weak = std::weak_ptr<detail::CallCanceller>(canceller)](boost::asio::cancellation_type) {
        if (auto c = weak.lock()) c->cancel();
      });
    }
  };
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, Response)>(
      initiation, token, channel, &method, detail::encode_message(request), options);
}

/// Opens a server-streaming call: `request` goes out at once, the
/// responses are read from the returned ClientReader.
template <class Response, class Request>
ClientReader<Response> server_streaming_call(const Channel& channel, const MethodInfo& method, const Request& request,
                                             const CallOptions& options = {}) {
  auto core = detail::start_stream_call(channel, method, options);
  // Completes at once: a new stream starts with send credit.
  detail::async_write_message(core, request, true, [](bool) {});
  return ClientReader<Response>(std::move(core));
}

/// Opens a client-streaming call.
template <class Request, class Response>
ClientWriter<Request, Response> client_streaming_call(const Channel& channel, const MethodInfo& method,
                                                      const CallOptions& options = {}) {
  return ClientWriter<Request, Response>(detail::start_stream_call(channel, method, options));
}

/// Opens a bidirectional-streaming call.
template <class Request, class Response>
ClientReaderWriter<Request, Response> bidi_streaming_call(const Channel& channel, const MethodInfo& method,
                                                          const CallOptions& options = {}) {
  return ClientReaderWriter<Request, Response>(detail::start_stream_call(channel, method, options));
}

}  // namespace idlrpc
