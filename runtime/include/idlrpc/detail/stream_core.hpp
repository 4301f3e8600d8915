// The seam between the typed streaming API (stream.hpp) and the transport:
// one StreamCore per streaming call, on either side, implemented in
// runtime/src. Its operations may be called from any thread; they complete
// through callbacks on the connection's I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <capnp/any.h>

#include "idlrpc/detail/client_call.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/status.hpp"

namespace idlrpc::detail {

class InMessage;  // a received MESSAGE frame, copied out of the read buffer
struct InMessageDeleter {
  void operator()(InMessage* message) const noexcept;
};
using InMessagePtr = std::unique_ptr<InMessage, InMessageDeleter>;
/// The message inside the frame, to decode with wire::decode.
capnp::AnyPointer::Reader message_payload(InMessage& message);

class StreamCore {
 public:
  /// A message, or null at the end of the incoming messages; then `end` is
  /// how the call ended (client: the final status; server: OK when the
  /// client half-closed, CANCELLED when the call was cancelled).
  using ReadCallback = std::function<void(InMessagePtr message, const CallResult* end)>;
  /// true: the message is on its way (flow control let it go); false: the
  /// call is over and the message was dropped.
  using WriteCallback = std::function<void(bool sent)>;
  using FinishCallback = std::function<void(const CallResult& result)>;

  virtual ~StreamCore() = default;

  /// At most one read and one write (or close_writes) in flight at a time.
  virtual void read(ReadCallback callback) = 0;
  virtual void write(OutFramePtr message, bool last, WriteCallback callback) = 0;
  /// Half-close: no more messages from this side.
  virtual void close_writes(WriteCallback callback) = 0;
  /// Client only: waits for the final status; unread messages are dropped.
  virtual void finish(FinishCallback callback) = 0;
  /// Ends the call now (thread-safe, idempotent).
  virtual void cancel(StatusCode code, std::string message) = 0;
  /// Where completions run unless the caller's handler says otherwise.
  virtual boost::asio::any_io_executor executor() const = 0;

  // Fast paths for code already running on the stream's I/O thread (a
  // coroutine handler, a coroutine on the channel's thread): while messages
  // are waiting, or credit remains, a read or write completes right there,
  // without a trip through the I/O loop.

  /// Whether the calling thread is the stream's I/O thread.
  virtual bool on_io_thread() const = 0;
  /// I/O thread only. true: `message` is the next message, or (null) the
  /// input is over and `end` says how, as for read(); false: a read would
  /// wait (use read()).
  virtual bool read_now(InMessagePtr& message, const CallResult*& end) = 0;
  enum class WriteNow {
    kSent,  // on its way, as write() reporting true
    kOver,  // the call is over, as write() reporting false
    kWait,  // flow control says wait: `message` is untouched (use write())
  };
  /// I/O thread only.
  virtual WriteNow write_now(OutFramePtr& message, bool last) = 0;

  /// The fast path of a thread that blocks on its reads (a blocking
  /// handler, a blocking client): as read_now(), from any thread.
  virtual bool read_ahead(InMessagePtr& message, const CallResult*& end) = 0;
  /// The fast path of a thread that blocks on its writes (a blocking
  /// handler, a blocking client): while credit remains, `message` is handed
  /// to the I/O thread and the write is done, as write() reporting true,
  /// without waiting for that thread. false: no credit (or the writes are
  /// over); `message` is untouched (use write()). Not for the last message.
  virtual bool write_ahead(OutFramePtr& message) = 0;
};

/// Opens a streaming call (any kind but unary) on `channel`.
std::shared_ptr<StreamCore> start_stream_call(const Channel& channel, const MethodInfo& method,
                                              const CallOptions& options);

}  // namespace idlrpc::detail
