// Streams: what streaming calls hand to clients and to server handlers.
//
// Every operation comes blocking (`read()`, `write(m)`) and asynchronous
// (`async_read(token)`, `async_write(m, token)`, any Asio completion token;
// `co_await s.async_read(asio::use_awaitable)`). A stream's reads and its
// writes may run on two threads at once; two reads (or two writes) may not.
// Writes wait for flow control: a sender that outruns its reader is paused.
//
// The class templates are unconstrained on purpose: generated headers name
// them (as return types) before the messages' MessageTraits are declared.
// Each operation requires Message<T> when it is used.
#pragma once

#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/detail/stream_ops.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/task.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace idlrpc {

namespace detail {

/// Owns a client call's StreamCore; destroying the stream object before the
/// call ended cancels the call.
class ClientStreamHandle {
 public:
  explicit ClientStreamHandle(std::shared_ptr<StreamCore> core) : core_(std::move(core)) {}
  ClientStreamHandle(ClientStreamHandle&&) noexcept = default;
  ClientStreamHandle& operator=(ClientStreamHandle&& other) noexcept {
    release();
    core_ = std::move(other.core_);
    return *this;
  }
  ~ClientStreamHandle() { release(); }

  /// Ends the call now with CANCELLED (from any thread).
  void cancel() {
    if (core_) core_->cancel(StatusCode::CANCELLED, "call cancelled by the client");
  }

 protected:
  std::shared_ptr<StreamCore> core_;

 private:
  void release() {
    if (core_) core_->cancel(StatusCode::CANCELLED, "stream object destroyed before the call ended");
  }
};

}  // namespace detail

/// Client side of a server-streaming call: read until the end.
///
///     for (auto& feature : client.ListFeatures(rect)) ...   // throws RpcError on failure
template <class Response>
class ClientReader : public detail::ClientStreamHandle {
 public:
  using ClientStreamHandle::ClientStreamHandle;

  /// The next message; nullopt when the server ended the call OK. Throws
  /// RpcError if the call failed.
  std::optional<Response> read() { return detail::read_message<Response>(core_, true); }
  /// Completion: void(std::exception_ptr, std::optional<Response>).
  template <class CompletionToken>
  auto async_read(CompletionToken&& token) {
    return detail::async_read_message<Response>(core_, true, std::forward<CompletionToken>(token));
  }
  /// Waits for the status, dropping unread messages; throws RpcError unless OK.
  void finish() { detail::finish_call(core_); }
  /// Completion: void(std::exception_ptr).
  template <class CompletionToken>
  auto async_finish(CompletionToken&& token) {
    return detail::async_finish_call(core_, std::forward<CompletionToken>(token));
  }

  detail::ReadIterator<ClientReader, Response> begin() { return detail::ReadIterator<ClientReader, Response>(this); }
  std::default_sentinel_t end() { return {}; }
};

/// Client side of a client-streaming call: write, then finish() for the response.
template <class Request, class Response>
class ClientWriter : public detail::ClientStreamHandle {
 public:
  using ClientStreamHandle::ClientStreamHandle;

  /// Sends a message (waiting for flow control). false: the call is over
  /// (finish() tells why).
  bool write(const Request& message) { return detail::write_message(core_, message, false); }
  /// Completion: void(bool sent).
  template <class CompletionToken>
  auto async_write(const Request& message, CompletionToken&& token) {
    return detail::async_write_message(core_, message, false, std::forward<CompletionToken>(token));
  }
  /// A message built in the call: see "GCC 12" in docs/generated-code.md.
  template <class CompletionToken>
  auto async_write(Request&& message, CompletionToken&& token) {
    detail::check_awaited_rvalue<Request, detail::is_awaitable_token<CompletionToken, void(bool)>>();
    return async_write(static_cast<const Request&>(message), std::forward<CompletionToken>(token));
  }

  /// Half-closes and waits for the response. Throws RpcError unless OK.
  Response finish() {
    detail::close_writes(core_);
    std::optional<Response> response = detail::read_message<Response>(core_, true);
    detail::finish_call(core_);
    if (!response) throw RpcError(StatusCode::INTERNAL, "server ended a client-streaming call OK without a response");
    return std::move(*response);
  }
  /// The coroutine form of finish().
  Task<Response> async_finish() {
    co_await detail::async_close_writes(core_, boost::asio::use_awaitable);
    std::optional<Response> response =
        co_await detail::async_read_message<Response>(core_, true, boost::asio::use_awaitable);
    co_await detail::async_finish_call(core_, boost::asio::use_awaitable);
    if (!response) throw RpcError(StatusCode::INTERNAL, "server ended a client-streaming call OK without a response");
    co_return std::move(*response);
  }
};

/// Client side of a bidirectional call: a ClientReader that can also
/// write. One thread may write while another reads.
template <class Request, class Response>
class ClientReaderWriter : public ClientReader<Response> {
 public:
  using ClientReader<Response>::ClientReader;

  bool write(const Request& message) { return detail::write_message(this->core_, message, false); }
  template <class CompletionToken>
  auto async_write(const Request& message, CompletionToken&& token) {
    return detail::async_write_message(this->core_, message, false, std::forward<CompletionToken>(token));
  }
  template <class CompletionToken>
  auto async_write(Request&& message, CompletionToken&& token) {
    detail::check_awaited_rvalue<Request, detail::is_awaitable_token<CompletionToken, void(bool)>>();
    return async_write(static_cast<const Request&>(message), std::forward<CompletionToken>(token));
  }
  /// Half-close: the server's reads end. false: the call was already over.
  bool writes_done() { return detail::close_writes(this->core_); }
  template <class CompletionToken>
  auto async_writes_done(CompletionToken&& token) {
    return detail::async_close_writes(this->core_, std::forward<CompletionToken>(token));
  }
};

// Server side. A handler's stream objects live as long as the handler;
// the call's status is what the handler returns or throws.

/// Reads the client's messages; nullopt once the client half-closed (or
/// the call was cancelled: see ServerContext::is_cancelled()).
template <class Request>
class ServerReader {
 public:
  explicit ServerReader(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  std::optional<Request> read() { return detail::read_message<Request>(core_, false); }
  detail::ReadIterator<ServerReader, Request> begin() { return detail::ReadIterator<ServerReader, Request>(this); }
  std::default_sentinel_t end() { return {}; }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

/// Sends messages to the client; write() returns false once the call is
/// over (cancelled, deadline passed, client gone).
template <class Response>
class ServerWriter {
 public:
  explicit ServerWriter(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  bool write(const Response& message) { return detail::write_message(core_, message, false); }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

template <class Response, class Request>
class ServerReaderWriter {
 public:
  explicit ServerReaderWriter(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  std::optional<Request> read() { return detail::read_message<Request>(core_, false); }
  bool write(const Response& message) { return detail::write_message(core_, message, false); }
  detail::ReadIterator<ServerReaderWriter, Request> begin() {
    return detail::ReadIterator<ServerReaderWriter, Request>(this);
  }
  std::default_sentinel_t end() { return {}; }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

/// Coroutine forms, for AsyncService handlers: `co_await reader.read()`.
template <class Request>
class AsyncServerReader {
 public:
  explicit AsyncServerReader(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  Task<std::optional<Request>> read() { return detail::async_read_message<Request>(core_, false, boost::asio::use_awaitable); }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

template <class Response>
class AsyncServerWriter {
 public:
  explicit AsyncServerWriter(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  Task<bool> write(const Response& message) { return detail::async_write_message(core_, message, false, boost::asio::use_awaitable); }
  /// A message built in the call: see "GCC 12" in docs/generated-code.md.
  Task<bool> write(Response&& message) {
    detail::check_awaited_rvalue<Response, true>();
    return write(static_cast<const Response&>(message));
  }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

template <class Response, class Request>
class AsyncServerReaderWriter {
 public:
  explicit AsyncServerReaderWriter(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  Task<std::optional<Request>> read() { return detail::async_read_message<Request>(core_, false, boost::asio::use_awaitable); }
  Task<bool> write(const Response& message) { return detail::async_write_message(core_, message, false, boost::asio::use_awaitable); }
  /// A message built in the call: see "GCC 12" in docs/generated-code.md.
  Task<bool> write(Response&& message) {
    detail::check_awaited_rvalue<Response, true>();
    return write(static_cast<const Response&>(message));
  }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

}  // namespace idlrpc
