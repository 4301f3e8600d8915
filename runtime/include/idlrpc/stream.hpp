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
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/detail/stream_ops.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/task.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace idlrpc {

namespace detail {

/// The handle a client holds on its streaming call (the base of
/// ClientReader, ClientWriter and ClientReaderWriter): owns the call's
/// StreamCore; destroying it before the call ended cancels the call.
class CallHandle {
 public:
  explicit CallHandle(std::shared_ptr<StreamCore> core) : core_(std::move(core)) {}
  CallHandle(CallHandle&&) noexcept = default;
  CallHandle& operator=(CallHandle&& other) noexcept {
    release();
    core_ = std::move(other.core_);
    return *this;
  }
  ~CallHandle() { release(); }

  /// The server's initial metadata (gRPC's GetServerInitialMetadata):
  /// waits for its HEADERS, or for its first message or the end of the
  /// call without them (then it is empty). Call it before reading on
  /// another thread only if that thread's reads do not wait for this one.
  Metadata initial_metadata() { return detail::initial_metadata(core_); }
  /// Completion: void(Metadata).
  template <class CompletionToken>
  auto async_initial_metadata(CompletionToken&& token) {
    return detail::async_initial_metadata(core_, std::forward<CompletionToken>(token));
  }

  /// Ends the call now with CANCELLED (from any thread).
  void cancel() {
    if (core_) core_->cancel(StatusCode::CANCELLED, std::string(status_text::kCancelledByClient));
  }

 protected:
  std::shared_ptr<StreamCore> core_;

 private:
  void release() {
    if (core_) core_->cancel(StatusCode::CANCELLED, std::string(status_text::kStreamObjectDestroyed));
  }
};

}  // namespace detail

/// Client side of a server-streaming call: read until the end.
///
///     for (auto& feature : client.ListFeatures(rect)) ...   // throws RpcError on failure
template <class Response>
class ClientReader : public detail::CallHandle {
 public:
  using CallHandle::CallHandle;

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
class ClientWriter : public detail::CallHandle {
 public:
  using CallHandle::CallHandle;

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
    if (!response) {
      throw RpcError(StatusCode::INTERNAL, std::string(detail::status_text::kClientStreamingNoResponse));
    }
    return std::move(*response);
  }
  /// finish() for any completion token: void(std::exception_ptr, Response).
  /// Without one, the coroutine form: `co_await writer.async_finish()`.
  template <class CompletionToken = boost::asio::use_awaitable_t<>>
  auto async_finish(CompletionToken&& token = {}) {
    return detail::async_finish_client_streaming<Response>(core_, std::forward<CompletionToken>(token));
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
  /// Sends the initial metadata set on the ServerContext now, before any
  /// message (gRPC's SendInitialMetadata); otherwise it goes with the first
  /// message or the status. Returns at once.
  void send_initial_metadata() { core_->send_initial_metadata(); }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

/// Both at once; reads and writes may run on two threads.
template <class Response, class Request>
class ServerReaderWriter : public ServerReader<Request>, public ServerWriter<Response> {
 public:
  explicit ServerReaderWriter(std::shared_ptr<detail::StreamCore> core)
      : ServerReader<Request>(core), ServerWriter<Response>(std::move(core)) {}
};

/// Coroutine forms, for AsyncService handlers: `co_await reader.read()`.
template <class Request>
class AsyncServerReader {
 public:
  explicit AsyncServerReader(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  Task<std::optional<Request>> read() {
    return detail::async_read_message<Request>(core_, false, boost::asio::use_awaitable);
  }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

template <class Response>
class AsyncServerWriter {
 public:
  explicit AsyncServerWriter(std::shared_ptr<detail::StreamCore> core) : core_(std::move(core)) {}
  Task<bool> write(const Response& message) {
    return detail::async_write_message(core_, message, false, boost::asio::use_awaitable);
  }
  /// As ServerWriter::send_initial_metadata().
  void send_initial_metadata() { core_->send_initial_metadata(); }
  /// A message built in the call: see "GCC 12" in docs/generated-code.md.
  Task<bool> write(Response&& message) {
    detail::check_awaited_rvalue<Response, true>();
    return write(static_cast<const Response&>(message));
  }

 private:
  std::shared_ptr<detail::StreamCore> core_;
};

template <class Response, class Request>
class AsyncServerReaderWriter : public AsyncServerReader<Request>, public AsyncServerWriter<Response> {
 public:
  explicit AsyncServerReaderWriter(std::shared_ptr<detail::StreamCore> core)
      : AsyncServerReader<Request>(core), AsyncServerWriter<Response>(std::move(core)) {}
};

}  // namespace idlrpc
