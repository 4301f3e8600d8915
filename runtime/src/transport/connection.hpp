// One idlrpc connection, either side: the handshake, the read loop that
// cuts frames out of the byte stream, and the write queue that batches
// every frame ready to go into one gather write. The client and server
// connections derive from it and give frames their meaning.
//
// Threading: a connection belongs to the I/O thread of its socket's
// executor. Every member function below runs on that thread only; other
// threads reach a connection by posting to executor().
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/system/error_code.hpp>
#include <capnp/message.h>

#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/log.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/status.hpp"
#include "protocol/frame.capnp.h"
#include "transport/frame_reader.hpp"
#include "transport/out_frame.hpp"

namespace idlrpc::detail {

/// What one side announces in its HELLO.
struct ConnectionSettings {
  std::uint32_t max_message_bytes = 4 * 1024 * 1024;
  std::uint32_t max_concurrent_streams = 1024;
  std::uint32_t window_bytes = 4 * 1024 * 1024;
};

/// Whether the calling thread runs `executor` (an io_context's): code
/// there may touch what that I/O thread owns without posting.
bool running_in_this_thread(const boost::asio::any_io_executor& executor);

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;

  Connection(Socket socket, std::string peer, ConnectionSettings local);
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& peer() const noexcept { return peer_; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  const ConnectionSettings& local_settings() const noexcept { return local_; }
  /// Valid once the peer's HELLO arrived (see on_ready()).
  const ConnectionSettings& peer_settings() const noexcept { return peer_settings_; }
  bool is_open() const noexcept { return open_; }

  /// Sends our HELLO and starts reading.
  void start();

  /// Queues a frame; frames leave in the order queued, batched into one
  /// write with whatever else is ready when the I/O thread gets to it.
  void send(OutFramePtr frame);
  // Control frames, built and queued.
  void send_trailers(std::uint32_t stream, StatusCode code, std::string_view message,
                     const Metadata* metadata = nullptr);
  void send_cancel(std::uint32_t stream, StatusCode code, std::string_view message);
  void send_window_update(std::uint32_t stream, std::uint32_t bytes);
  void send_go_away(std::uint32_t last_stream, StatusCode code, std::string_view message);

  /// A MESSAGE frame that on_frame() received as `raw`, kept as an
  /// InMessage beyond the call: a large frame's buffer is taken over, a
  /// small one is copied. The frame's readers must not be used after this
  /// (the message may be gone).
  InMessagePtr take_message(kj::ArrayPtr<const capnp::word> raw);

  /// Closes at once; pending frames are dropped. `reason` goes to the log
  /// (at `level`) unless empty. Idempotent.
  void close(const std::string& reason, LogLevel level = LogLevel::kWarning);
  /// Closes once every queued frame has been written.
  void close_after_flush();

 protected:
  /// The peer's HELLO arrived and was valid.
  virtual void on_ready() {}
  /// Every frame after the handshake except PING, which is answered here;
  /// `raw` is the whole frame, valid during the call only. May throw
  /// ProtocolError (or anything) to drop the connection.
  virtual void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) = 0;
  /// The connection is closed: fail whatever still depends on it.
  virtual void on_closed(const std::string& reason) = 0;
  /// "connection from <peer>" / "connection to <peer>", for log lines.
  virtual std::string describe() const = 0;
  /// Whether the peer may vanish now without it being worth a log line.
  virtual bool quiet_to_lose() const = 0;

 private:
  void read_some();
  void on_read(const boost::system::error_code& error, std::size_t bytes);
  void handle(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw);
  void check_hello(protocol::Frame::Reader frame);
  void schedule_flush();
  void post_flush();
  void on_flush_turn(std::uint64_t queued_then);
  void flush();
  void on_written(const boost::system::error_code& error);

  Socket socket_;
  boost::asio::any_io_executor executor_;
  std::string peer_;
  ConnectionSettings local_;
  ConnectionSettings peer_settings_;
  FrameReader reader_;
  capnp::ReaderOptions reader_options_;

  std::deque<OutFramePtr> queue_;
  std::size_t queued_bytes_ = 0;     // in queue_
  std::uint64_t frames_queued_ = 0;  // ever: tells a flush turn whether frames still arrive
  unsigned flush_deferrals_ = 0;
  std::vector<OutFramePtr> in_flight_;
  std::vector<boost::asio::const_buffer> buffers_;

  bool open_ = true;
  bool peer_hello_ = false;
  bool writing_ = false;
  bool flush_scheduled_ = false;
  bool close_when_flushed_ = false;
};

}  // namespace idlrpc::detail
