// idlrpc::UnaryAwaitable<Response>: what a generated client's
// co_<Method>(request, options) returns, a unary call to co_await from any
// C++20 coroutine that takes standard awaiters (idlrpc::Lazy, lazy.hpp;
// most coroutine libraries' tasks; not Asio's awaitable, which takes only
// its own: there, use async_<Method>(..., asio::use_awaitable)).
//
// No Asio and no Cap'n Proto here: the request is encoded when
// co_<Method> is called (in the generated .cpp) and the call is started and
// completed by the runtime (src/client/awaited_unary_call.cpp).
//
// Threading: the call starts when the awaitable is awaited (not when
// co_<Method> returns) and the awaiting coroutine resumes on the channel's
// I/O thread once it ends, where it must not block. The awaitable can be
// awaited once; it may be kept and awaited later, it holds its own copy of
// the encoded request and the options.
#pragma once

#include <coroutine>
#include <exception>
#include <utility>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/awaited_rvalue.hpp"
#include "idlrpc/detail/out_frame_fwd.hpp"
#include "idlrpc/method.hpp"

namespace idlrpc {

namespace detail {

/// A response payload as the runtime hands it to the typed code: a
/// capnp::AnyPointer::Reader, defined in unary_call.hpp where Cap'n Proto
/// is in sight (a nested class cannot be declared without it).
struct ResponsePayload;
/// Decodes a response payload into `*response` (throws wire::DecodeError).
using DecodeResponseFn = void (*)(const ResponsePayload& payload, void* response);

/// The untyped half of a co_awaited unary call.
class AwaitedUnaryCall {
 public:
  // Out of line (src/client/awaited_unary_call.cpp), like the destructor
  // and the move: copying and destroying CallOptions and Channel inline
  // would be compiled into every co_<Method> of every generated .cpp.
  AwaitedUnaryCall(const Channel& channel, const MethodInfo& method, OutFramePtr request, const CallOptions& options,
                   DecodeResponseFn decode);
  AwaitedUnaryCall(AwaitedUnaryCall&& other) noexcept;
  AwaitedUnaryCall& operator=(AwaitedUnaryCall&&) = delete;
  ~AwaitedUnaryCall();

  /// Starts the call. Once it ends, `*response` written by the decode
  /// function if it ended OK, `awaiting` is resumed on the channel's I/O
  /// thread. Never resumes `awaiting` before returning. Throws
  /// std::logic_error when called twice.
  void start(std::coroutine_handle<> awaiting, void* response);

  /// After the resumption: throws the call's RpcError unless it ended OK.
  void rethrow_if_failed() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  friend class AwaitedUnarySink;  // src/client/awaited_unary_call.cpp: sets error_

  Channel channel_;
  const MethodInfo* method_;
  OutFramePtr request_;  // null once started
  CallOptions options_;
  DecodeResponseFn decode_;
  std::exception_ptr error_;
};

}  // namespace detail

/// A unary call to co_await once: returns the response, or throws RpcError
/// unless the call ended OK. See the top of this file.
template <class Response>
class [[nodiscard]] UnaryAwaitable {
 public:
  explicit UnaryAwaitable(detail::AwaitedUnaryCall call) : call_(std::move(call)) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) { call_.start(awaiting, &response_); }
  Response await_resume() {
    call_.rethrow_if_failed();
    return std::move(response_);
  }

 private:
  detail::AwaitedUnaryCall call_;
  // Where the runtime decodes the response: the awaitable lives in the
  // awaiting coroutine's frame until it resumes, so the address is stable
  // for the whole call.
  Response response_{};
};

}  // namespace idlrpc
