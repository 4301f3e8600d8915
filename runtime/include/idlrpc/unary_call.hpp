// The blocking unary call and the awaited one (co_<Method>): what a
// generated client's compiled stubs call (in the generated .cpp). Only the
// typed ends are templates here (encode the request, decode the response);
// the calls themselves, their waits and their errors are compiled once in
// the runtime (src/client/blocking_unary_call.cpp, awaited_unary_call.cpp),
// so a file that makes these calls parses no Asio and instantiates nothing
// of it.
#pragma once

#include <capnp/any.h>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/wire/codec.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/unary_awaitable.hpp"

namespace idlrpc {

namespace detail {

struct ResponsePayload {
  capnp::AnyPointer::Reader reader;
};

/// The DecodeResponseFn of `Response`.
template <class Response>
void decode_response(const ResponsePayload& payload, void* response) {
  wire::decode(payload.reader, *static_cast<Response*>(response));
}

/// Makes a unary call with the encoded `request` and waits for it.
/// `decode(payload, response)` runs on the channel's I/O thread, before the
/// call completes, while this thread waits; it is the only writer of
/// `*response`. Throws as unary_call().
void blocking_unary_call(const Channel& channel, const MethodInfo& method, OutFramePtr request,
                         const CallOptions& options, DecodeResponseFn decode, void* response);

}  // namespace detail

/// Makes a unary call and waits for it. Throws RpcError unless it ends OK.
/// Throws std::logic_error on an idlrpc I/O thread (in a callback or a
/// coroutine handler), where it would never return: use async_unary_call
/// (client.hpp) there.
template <class Response, class Request>
Response unary_call(const Channel& channel, const MethodInfo& method, const Request& request,
                    const CallOptions& options = {}) {
  Response response{};
  detail::blocking_unary_call(channel, method, detail::encode_message(request), options,
                              &detail::decode_response<Response>, &response);
  return response;
}

/// A unary call to co_await (UnaryAwaitable): the request is encoded now,
/// the call starts when it is awaited.
template <class Response, class Request>
UnaryAwaitable<Response> co_unary_call(const Channel& channel, const MethodInfo& method, const Request& request,
                                       const CallOptions& options = {}) {
  return UnaryAwaitable<Response>(detail::AwaitedUnaryCall(channel, method, detail::encode_message(request), options,
                                                           &detail::decode_response<Response>));
}

}  // namespace idlrpc
