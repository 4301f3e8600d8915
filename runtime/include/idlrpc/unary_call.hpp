// The blocking unary call: what a generated client's blocking stubs call
// (in the generated .cpp). Only the typed ends are templates here (encode
// the request, decode the response); the call itself, its wait and its
// errors are compiled once in the runtime (src/client/blocking_unary_call.cpp),
// so a file that makes blocking calls parses no Asio and instantiates
// nothing of it.
#pragma once

#include <capnp/any.h>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/wire/codec.hpp"
#include "idlrpc/method.hpp"

namespace idlrpc {

namespace detail {

/// Decodes a response payload into `*response` (throws wire::DecodeError).
using DecodeResponseFn = void (*)(capnp::AnyPointer::Reader payload, void* response);

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
  detail::blocking_unary_call(
      channel, method, detail::encode_message(request), options,
      [](capnp::AnyPointer::Reader payload, void* out) { wire::decode(payload, *static_cast<Response*>(out)); },
      &response);
  return response;
}

}  // namespace idlrpc
