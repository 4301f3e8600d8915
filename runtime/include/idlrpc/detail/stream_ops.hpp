// Typed asynchronous operations on a StreamCore, shared by every stream
// class of stream.hpp. Each is an Asio async operation (any completion
// token); the blocking methods are these plus a SyncWaiter.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "idlrpc/detail/awaited_rvalue.hpp"
#include "idlrpc/detail/completion.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/detail/sync_waiter.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/message.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc::detail {

/// What a read got, as the reader sees it: the decoded message, nullopt at
/// the end, or an error (RpcError) when the message does not decode (the
/// call is then cancelled) or, if `errors_at_end`, when the call ended with
/// a status other than OK.
template <class T>
std::optional<T> take_read(StreamCore& core, InMessagePtr message, const CallResult* end, bool errors_at_end,
                           std::exception_ptr& error) {
  if (message) {
    try {
      T decoded;
      wire::decode(message_payload(*message), decoded);
      return decoded;
    } catch (const wire::DecodeError& e) {
      const std::string why = status_text::cannot_decode_message(e.what());
      core.cancel(StatusCode::INTERNAL, why);
      error = std::make_exception_ptr(RpcError(StatusCode::INTERNAL, why));
    }
  } else if (errors_at_end && end != nullptr && end->code != StatusCode::OK) {
    error = make_rpc_error(CallResult(*end));
  }
  return std::nullopt;
}

/// take_read(), throwing the error.
template <class T>
std::optional<T> take_read_or_throw(StreamCore& core, InMessagePtr message, const CallResult* end,
                                    bool errors_at_end) {
  std::exception_ptr error;
  std::optional<T> value = take_read<T>(core, std::move(message), end, errors_at_end, error);
  if (error) std::rethrow_exception(error);
  return value;
}

/// Whether `Token` is Asio's use_awaitable (which the coroutine forms below
/// serve with their fast path).
template <class Token>
inline constexpr bool is_use_awaitable = std::is_same_v<std::decay_t<Token>, boost::asio::use_awaitable_t<>>;

template <class T>
struct is_awaitable : std::false_type {};
template <class T, class Executor>
struct is_awaitable<boost::asio::awaitable<T, Executor>> : std::true_type {};

/// Whether an operation completing with `Signature` returns an awaitable
/// for `Token` (use_awaitable, as_tuple(use_awaitable), ...).
template <class Token, class Signature>
inline constexpr bool is_awaitable_token =
    is_awaitable<typename boost::asio::async_result<std::decay_t<Token>, Signature>::return_type>::value;

/// Asio per-operation cancellation of a stream operation (the losing side
/// of awaitable_operators' `||`, a cancellation_signal bound to a
/// callback): a stream cannot take back half an operation, so the signal
/// cancels the call, and the operation completes as every operation of a
/// cancelled call does (a read with CANCELLED, a write with false).
/// Returns the handler's slot, for complete_with() to detach the cancellation
/// once the operation has completed.
template <class Handler>
boost::asio::cancellation_slot cancel_call_on_signal(const Handler& handler, const std::shared_ptr<StreamCore>& core) {
  auto slot = boost::asio::get_associated_cancellation_slot(handler);
  if (slot.is_connected()) {
    slot.assign([weak = std::weak_ptr<StreamCore>(core)](boost::asio::cancellation_type) {
      if (auto call = weak.lock()) call->cancel(StatusCode::CANCELLED, std::string(status_text::kOperationCancelled));
    });
  }
  return slot;
}

/// A read through the I/O thread, for any completion token (see
/// async_read_message()).
template <class T, class CompletionToken>
auto initiate_read_message(std::shared_ptr<StreamCore> core, bool errors_at_end, CompletionToken&& token) {
  auto initiation = [](auto handler, std::shared_ptr<StreamCore> core, bool errors_at_end) {
    auto slot = cancel_call_on_signal(handler, core);
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    StreamCore* raw = core.get();  // the callback runs while the core is alive
    core->read([slot, shared, raw, errors_at_end, io = core->executor()](InMessagePtr message,
                                                                       const CallResult* end) {
      std::exception_ptr error;
      std::optional<T> value = take_read<T>(*raw, std::move(message), end, errors_at_end, error);
      complete_with(slot, std::move(*shared), io, std::move(error), std::move(value));
    });
  };
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, std::optional<T>)>(
      initiation, token, std::move(core), errors_at_end);
}

/// Sends an encoded message once flow control allows: (true) sent, (false)
/// the call is over.
template <class CompletionToken>
auto async_write_frame(std::shared_ptr<StreamCore> core, OutFramePtr frame, bool last, CompletionToken&& token) {
  auto initiation = [](auto handler, std::shared_ptr<StreamCore> core, OutFramePtr frame, bool last) {
    auto slot = cancel_call_on_signal(handler, core);
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    core->write(std::move(frame), last, [slot, shared, io = core->executor()](bool sent) {
      complete_with(slot, std::move(*shared), io, sent);
    });
  };
  return boost::asio::async_initiate<CompletionToken, void(bool)>(initiation, token, std::move(core),
                                                                  std::move(frame), last);
}

// The coroutine forms: on the stream's I/O thread a message already waiting
// (or credit to send) completes the operation at once; only a read or write
// that must wait goes through the I/O loop. A streamed sequence then costs
// no loop turn per message.

template <class T>
Task<std::optional<T>> co_read_message(std::shared_ptr<StreamCore> core, bool errors_at_end) {
  if (core->on_io_thread()) {
    InMessagePtr message;
    const CallResult* end = nullptr;
    if (core->read_now(message, end)) co_return take_read_or_throw<T>(*core, std::move(message), end, errors_at_end);
  }
  co_return co_await initiate_read_message<T>(std::move(core), errors_at_end, boost::asio::use_awaitable);
}

inline Task<bool> co_write_frame(std::shared_ptr<StreamCore> core, OutFramePtr frame, bool last) {
  if (core->on_io_thread()) {
    switch (core->write_now(frame, last)) {
      case StreamCore::WriteNow::kSent:
        co_return true;
      case StreamCore::WriteNow::kOver:
        co_return false;
      case StreamCore::WriteNow::kWait:
        break;
    }
  }
  co_return co_await async_write_frame(std::move(core), std::move(frame), last, boost::asio::use_awaitable);
}

/// Reads the next message: (nullptr, message), or (nullptr, nullopt) at
/// the end, or (error, nullopt) as take_read() says. With use_awaitable, the
/// coroutine form and its fast path.
template <class T, class CompletionToken>
auto async_read_message(std::shared_ptr<StreamCore> core, bool errors_at_end, CompletionToken&& token) {
  if constexpr (is_use_awaitable<CompletionToken>) {
    return co_read_message<T>(std::move(core), errors_at_end);
  } else {
    return initiate_read_message<T>(std::move(core), errors_at_end, std::forward<CompletionToken>(token));
  }
}

/// Sends `value`, encoded before this returns, once flow control allows:
/// (true) sent, (false) the call is over. With use_awaitable, the coroutine
/// form and its fast path.
template <class T, class CompletionToken>
auto async_write_message(std::shared_ptr<StreamCore> core, const T& value, bool last, CompletionToken&& token) {
  if constexpr (is_use_awaitable<CompletionToken>) {
    return co_write_frame(std::move(core), encode_message(value), last);
  } else {
    return async_write_frame(std::move(core), encode_message(value), last, std::forward<CompletionToken>(token));
  }
}

/// Half-closes: (true) done, (false) the call was already over.
template <class CompletionToken>
auto async_close_writes(std::shared_ptr<StreamCore> core, CompletionToken&& token) {
  auto initiation = [](auto handler, std::shared_ptr<StreamCore> core) {
    auto slot = cancel_call_on_signal(handler, core);
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    core->close_writes([slot, shared, io = core->executor()](bool done) {
      complete_with(slot, std::move(*shared), io, done);
    });
  };
  return boost::asio::async_initiate<CompletionToken, void(bool)>(initiation, token, std::move(core));
}

/// The final status as an error: null for OK, else an RpcError.
inline std::exception_ptr status_error(const CallResult& result) {
  return result.code == StatusCode::OK ? nullptr : make_rpc_error(CallResult(result));
}

/// Waits for the final status: (nullptr) OK, else an RpcError.
template <class CompletionToken>
auto async_finish_call(std::shared_ptr<StreamCore> core, CompletionToken&& token) {
  auto initiation = [](auto handler, std::shared_ptr<StreamCore> core) {
    auto slot = cancel_call_on_signal(handler, core);
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    core->finish([slot, shared, io = core->executor()](const CallResult& result) {
      complete_with(slot, std::move(*shared), io, status_error(result));
    });
  };
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr)>(initiation, token,
                                                                                std::move(core));
}

/// A client-streaming call's end: half-closes, reads the response and waits
/// for the status: (nullptr, response), or (error, {}) with an RpcError.
/// One operation for the caller; three steps on the I/O thread.
template <class Response, class CompletionToken>
auto async_finish_client_streaming(std::shared_ptr<StreamCore> core, CompletionToken&& token) {
  auto initiation = [](auto handler, std::shared_ptr<StreamCore> core) {
    auto slot = cancel_call_on_signal(handler, core);
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    auto io = core->executor();
    auto fail = [slot, shared, io](std::exception_ptr error) {
      complete_with(slot, std::move(*shared), io, std::move(error), Response{});
    };
    core->close_writes([core, fail, slot, shared, io](bool) {
      // The steps run on the I/O thread: their own completions come straight back here.
      initiate_read_message<Response>(core, true, [core, fail, slot, shared, io](std::exception_ptr error,
                                                                                 std::optional<Response> response) {
        if (error) return fail(std::move(error));
        core->finish([fail, slot, shared, io, response = std::move(response)](const CallResult& result) mutable {
          if (auto error = status_error(result)) return fail(std::move(error));
          if (!response) {
            return fail(std::make_exception_ptr(
                RpcError(StatusCode::INTERNAL, std::string(status_text::kClientStreamingNoResponse))));
          }
          complete_with(slot, std::move(*shared), io, std::exception_ptr(), std::move(*response));
        });
      });
    });
  };
  return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, Response)>(initiation, token,
                                                                                          std::move(core));
}

/// The server's initial metadata, once it is known (its HEADERS, or the
/// first message or the end without them: then empty). Client streams only.
template <class CompletionToken>
auto async_initial_metadata(std::shared_ptr<StreamCore> core, CompletionToken&& token) {
  auto initiation = [](auto handler, std::shared_ptr<StreamCore> core) {
    auto shared = std::make_shared<decltype(handler)>(std::move(handler));
    core->initial_metadata([shared, io = core->executor()](const Metadata& metadata) {
      complete_with(std::move(*shared), io, Metadata(metadata));
    });
  };
  return boost::asio::async_initiate<CompletionToken, void(Metadata)>(initiation, token, std::move(core));
}

// Blocking forms.
template <class T>
std::optional<T> read_message(const std::shared_ptr<StreamCore>& core, bool errors_at_end) {
  InMessagePtr message;
  const CallResult* end = nullptr;
  if (core->read_ahead(message, end)) {  // waiting already: no round trip to the I/O thread
    return take_read_or_throw<T>(*core, std::move(message), end, errors_at_end);
  }
  // Only a read that waits can wait forever: the check costs the fast path nothing.
  check_may_block(core->on_io_thread(), "a stream's read()", "co_await stream.async_read(asio::use_awaitable)");
  SyncWaiter<std::optional<T>> waiter;
  initiate_read_message<T>(core, errors_at_end, [&waiter](std::exception_ptr error, std::optional<T> value) {
    waiter.set(std::move(error), std::move(value));
  });
  return waiter.get();
}

template <class T>
bool write_message(const std::shared_ptr<StreamCore>& core, const T& value, bool last) {
  OutFramePtr frame = encode_message(value);
  if (!last && core->write_ahead(frame)) return true;  // within credit: no waiting
  check_may_block(core->on_io_thread(), "a stream's write()",
                  "co_await stream.async_write(message, asio::use_awaitable)");
  SyncWaiter<bool> waiter;
  async_write_frame(core, std::move(frame), last, [&waiter](bool sent) { waiter.set(nullptr, sent); });
  return waiter.get();
}

inline bool close_writes(const std::shared_ptr<StreamCore>& core) {
  check_may_block(core->on_io_thread(), "a stream's writes_done() or finish()",
                  "co_await stream.async_writes_done(asio::use_awaitable) or co_await writer.async_finish()");
  SyncWaiter<bool> waiter;
  async_close_writes(core, [&waiter](bool done) { waiter.set(nullptr, done); });
  return waiter.get();
}

inline void finish_call(const std::shared_ptr<StreamCore>& core) {
  check_may_block(core->on_io_thread(), "a stream's finish()", "co_await stream.async_finish(asio::use_awaitable)");
  SyncWaiter<bool> waiter;
  async_finish_call(core, [&waiter](std::exception_ptr error) { waiter.set(std::move(error), true); });
  waiter.get();
}

inline Metadata initial_metadata(const std::shared_ptr<StreamCore>& core) {
  check_may_block(core->on_io_thread(), "a stream's initial_metadata()",
                  "co_await stream.async_initial_metadata(asio::use_awaitable)");
  SyncWaiter<Metadata> waiter;
  async_initial_metadata(core, [&waiter](Metadata metadata) { waiter.set(nullptr, std::move(metadata)); });
  return waiter.get();
}

/// Input iteration over anything with `std::optional<T> read()`:
/// `for (auto& message : reader)`.
template <class Reader, class T>
class ReadIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = T*;
  using reference = T&;

  ReadIterator() = default;
  explicit ReadIterator(Reader* reader) : reader_(reader) { ++*this; }

  T& operator*() { return *current_; }
  T* operator->() { return &*current_; }
  ReadIterator& operator++() {
    current_ = reader_->read();
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const ReadIterator& it, std::default_sentinel_t) { return !it.current_.has_value(); }

 private:
  Reader* reader_ = nullptr;
  std::optional<T> current_;
};

}  // namespace idlrpc::detail
