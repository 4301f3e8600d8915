// The seam between the typed streaming API (stream.hpp) and the runtime:
// one StreamCore per streaming call, on either side. The runtime implements
// it once, over a stream flow (runtime/src/transport/flow_stream.hpp), for
// the client's and the server's streaming calls. Its operations may be
// called from any thread; they complete through callbacks on the
// connection's I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "idlrpc/detail/call_result.hpp"
#include "idlrpc/detail/in_message.hpp"
#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/status.hpp"

// Declared, not included: a file that only names StreamCore (a service's
// method table, a blocking stub) parses no Asio; callers of executor()
// include Asio themselves (stream_ops.hpp does).
namespace boost::asio {
class any_io_executor;
}  // namespace boost::asio

namespace idlrpc::detail {

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
  using MetadataCallback = std::function<void(const Metadata& metadata)>;

  virtual ~StreamCore() = default;

  /// At most one read and one write (or close_writes) in flight at a time:
  /// a second one throws std::logic_error (IDLRPC_REQUIRE).
  virtual void read(ReadCallback callback) = 0;
  virtual void write(OutFramePtr message, bool last, WriteCallback callback) = 0;
  /// Half-close: no more messages from this side.
  virtual void close_writes(WriteCallback callback) = 0;
  /// Client only: waits for the final status; unread messages are dropped.
  virtual void finish(FinishCallback callback) = 0;
  /// Client only: the server's initial metadata, once known: its HEADERS,
  /// or (empty) a message or the end that came without them.
  virtual void initial_metadata(MetadataCallback callback) = 0;
  /// Server only: sends the initial metadata the handler set now, ahead of
  /// any message (otherwise it goes with the first message or the status).
  virtual void send_initial_metadata() = 0;
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

}  // namespace idlrpc::detail
