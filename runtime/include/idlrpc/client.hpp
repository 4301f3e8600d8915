// The client side of a call: what generated client stubs call. Each method
// comes blocking (throws RpcError) and asynchronous (takes any Asio
// completion token; completion signature void(std::exception_ptr, Response)).
#pragma once

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/client_call.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/detail/sync_waiter.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/method.hpp"

namespace idlrpc {

namespace detail {

/// Delivers a unary call's outcome to an Asio completion handler, on the
/// handler's associated executor (the channel's I/O executor by default).
template <class Response, class Handler>
class UnaryCompletion final : public UnaryResponseSink {
 public:
  UnaryCompletion(Handler handler, const boost::asio::any_io_executor& io)
      : handler_(std::move(handler)),
        executor_(boost::asio::get_associated_executor(handler_, io)),
        work_(boost::asio::prefer(executor_, boost::asio::execution::outstanding_work.tracked)) {}

  void on_response(capnp::AnyPointer::Reader payload) override { wire::decode(payload, response_); }

  void on_complete(CallResult result) override {
    std::exception_ptr error;
    if (result.code != StatusCode::OK) {
      error = make_rpc_error(std::move(result));
      response_ = Response{};
    }
    // The work guard travels with the handler and is released on the
    // handler's executor: released here instead, it could let that
    // executor's run() return (and its owner destroy it) while this thread
    // is still inside the release.
    boost::asio::dispatch(executor_, [handler = std::move(handler_), error, response = std::move(response_),
                                      work = std::move(work_)]() mutable {
      std::move(handler)(error, std::move(response));
    });
  }

 private:
  using Executor = boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>;
  Handler handler_;
  Executor executor_;
  std::decay_t<decltype(boost::asio::prefer(std::declval<Executor>(),
                                            boost::asio::execution::outstanding_work.tracked))>
      work_;
  Response response_{};
};

}  // namespace detail

/// Starts a unary call and returns at once; `token` receives
/// (std::exception_ptr error, Response response): error is an RpcError
/// when the call did not end OK. Works with callbacks, asio::use_future and
/// asio::use_awaitable. The request is encoded before this returns.
template <Message Response, Message Request, class CompletionToken>
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

/// Makes a unary call and waits for it. Throws RpcError unless it ends OK.
/// Must not be called on an idlrpc I/O thread (from a callback or a
/// coroutine handler): use async_unary_call there.
template <Message Response, Message Request>
Response unary_call(const Channel& channel, const MethodInfo& method, const Request& request,
                    const CallOptions& options = {}) {
  detail::SyncWaiter<Response> waiter;
  async_unary_call<Response>(channel, method, request, options,
                             [&waiter](std::exception_ptr error, Response response) {
                               waiter.set(std::move(error), std::move(response));
                             });
  return waiter.get();
}

}  // namespace idlrpc
