// One idlrpc connection, either side: the handshake, the read loop that
// cuts frames out of the byte stream, and the write queue that batches
// every frame ready to go into one gather write. The client and server
// connections derive from it and give frames their meaning.
//
// What a peer may cost is bounded here (docs/protocol.md section 9):
// received messages are charged to an InputAccount and returned to the peer
// as connection-level credit only once their memory is gone; outgoing
// messages wait for the peer's connection credit (in blocked_, behind which
// later frames of the same stream keep their order); a write backlog past
// the policy's limit makes stream writers wait and, on a server, stops
// reading from the peer; frames other than messages queued for a peer that
// does not read are capped; a frame in progress must keep arriving.
//
// Keepalive (transport/keepalive.hpp): once ready, a connection with
// policy keepalive pings a peer that has been silent for its time, and
// closes if nothing arrives within the timeout after that ping.
//
// With TLS (tls_stream.hpp), the same bytes go through an SSL session on
// the socket: start() runs the TLS handshake before the HELLO, and each
// write batch is sealed into one buffer first.
//
// Threading: a connection belongs to the I/O thread of its socket's
// executor. Every member function below runs on that thread only; other
// threads reach a connection by posting to executor().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <capnp/message.h>

#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/log.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/status.hpp"
#include "idlrpc/tls.hpp"
#include "log.hpp"
#include "protocol/frame.capnp.h"
#include "transport/frame_reader.hpp"
#include "transport/input_account.hpp"
#include "transport/keepalive.hpp"
#include "transport/out_frame.hpp"
#include "transport/write_batch.hpp"

namespace idlrpc::detail {

class TlsStream;

/// What one side announces in its HELLO.
struct ConnectionSettings {
  std::uint32_t max_message_bytes = 4 * 1024 * 1024;
  std::uint32_t max_concurrent_streams = 1024;
  std::uint32_t window_bytes = 4 * 1024 * 1024;
  /// Credit for all streams together; 0 (what an older peer's HELLO
  /// reads as): no connection-level flow control in that direction.
  std::uint32_t connection_window_bytes = 16 * 1024 * 1024;
};

/// What one side enforces on its own and never announces.
struct ConnectionPolicy {
  /// Outgoing bytes (queued, waiting for credit, being written) past which
  /// the connection is backlogged: stream writers wait. 0: no limit.
  std::size_t max_write_queue_bytes = 0;
  /// While backlogged, read nothing from the peer (a server: a peer that
  /// does not read must not make it produce). A client keeps reading, so
  /// two backlogged peers can never wait for each other.
  bool pause_reading_when_backlogged = false;
  /// Frames other than MESSAGE queued at once; past it the peer is not
  /// reading what it makes us send (pings, refused calls): close. 0: none.
  std::size_t max_queued_control_frames = 0;
  /// A frame in progress with no byte for this long closes the connection.
  std::chrono::milliseconds frame_progress_timeout{0};
  /// The server-wide total of held input, or null.
  std::shared_ptr<InputTotal> input_total;
  /// Shared by a server's connections: how many "closed" lines go to the
  /// log each second (null: all).
  std::shared_ptr<LogRateLimit> close_log_limit;
  /// Ping a silent peer, close a dead one (time 0: off).
  KeepaliveSettings keepalive{};
};

/// Whether the calling thread runs `executor` (an io_context's): code
/// there may touch what that I/O thread owns without posting.
bool running_in_this_thread(const boost::asio::any_io_executor& executor);

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;

  Connection(Socket socket, std::string peer, ConnectionSettings local, ConnectionPolicy policy = {});
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& peer() const noexcept { return peer_; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  const ConnectionSettings& local_settings() const noexcept { return local_; }
  /// Valid once the peer's HELLO arrived (see on_ready()).
  const ConnectionSettings& peer_settings() const noexcept { return peer_settings_; }
  bool is_open() const noexcept { return state_ != State::kClosed; }

  /// Runs the TLS handshake first if use_tls() was called, then sends our
  /// HELLO and starts reading.
  void start();
  /// Before start(): the connection's bytes go through `tls`.
  void use_tls(std::unique_ptr<TlsStream> tls);
  /// The socket, before start(): to put TLS on it, to look at the peer's
  /// first bytes. Not for reading or writing once started.
  Socket& socket() noexcept { return socket_; }
  /// What the peer proved in the TLS handshake (tls false without TLS).
  const PeerIdentity& peer_identity() const noexcept { return peer_identity_; }
  /// Whether what we send can only be read by the peer: TLS, or a
  /// loopback address or Unix socket (checked for call credentials).
  bool confidential() const noexcept { return confidential_; }

  /// Queues a frame; frames leave in the order queued, batched into one
  /// write with whatever else is ready when the I/O thread gets to it. A
  /// MESSAGE waits while the peer's connection credit is used up, and the
  /// frames of its stream queued after it wait behind it; other frames
  /// (credit, pings, cancels) never wait for credit.
  void send(OutFramePtr frame);

  /// Whether stream writers may send now: false while backlogged.
  bool accepts_data() const noexcept { return !backlogged_.load(std::memory_order_relaxed); }
  /// Any thread (a blocking writer handing a frame to the I/O thread):
  /// counts `bytes` into the backlog now, so writers on other threads
  /// cannot pile frames up faster than the I/O thread sees them; false (and
  /// nothing counted) if the backlog is at its limit.
  bool reserve_handoff(std::size_t bytes) noexcept;
  /// I/O thread: a reserved frame was queued with send(), or dropped.
  void release_handoff(std::size_t bytes) noexcept;
  /// The input this connection holds (received, not yet released).
  const InputAccount& input() const noexcept { return *account_; }
  /// Keepalive as configured for this connection (time 0: off).
  const KeepaliveSettings& keepalive_settings() const noexcept { return keepalive_.settings(); }
  /// MESSAGE frames sent so far (a server forgives ping strikes on data).
  std::uint64_t messages_sent() const noexcept { return messages_sent_; }
  // Control frames, built and queued.
  void send_trailers(std::uint32_t stream, StatusCode code, std::string_view message,
                     const Metadata* metadata = nullptr);
  /// TRAILERS that refuse a call no handler saw (`refused` set: the client
  /// may send it to another server).
  void send_refusal(std::uint32_t stream, StatusCode code, std::string_view message);
  void send_cancel(std::uint32_t stream, StatusCode code, std::string_view message);
  void send_window_update(std::uint32_t stream, std::uint32_t bytes);
  void send_go_away(std::uint32_t last_stream, StatusCode code, std::string_view message);

  /// A MESSAGE frame that on_frame() received as `raw`, kept as an
  /// InMessage beyond the call, with its input charge: a large frame's
  /// buffer is taken over, a small one is copied. The frame's readers must
  /// not be used after this (the message may be gone).
  InMessagePtr take_message(kj::ArrayPtr<const capnp::word> raw);
  /// The input charge of the MESSAGE frame on_frame() is handling, for
  /// whoever keeps what was decoded from it (a unary request until its
  /// call ends). Not taken: released when on_frame() returns.
  InputCharge take_charge() noexcept { return std::move(current_charge_); }

  /// Closes at once; pending frames are dropped. `reason` goes to the log
  /// (at `level`) unless empty. Idempotent.
  void close(const std::string& reason, LogLevel level = LogLevel::kWarning);
  /// Stops reading and closes once every queued frame has been written
  /// (or after a few seconds, if the peer does not read them).
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
  /// Whether calls are open (keepalive pings only for them, unless its
  /// settings say without_calls).
  virtual bool has_open_calls() const { return false; }
  /// A PING (not an ack) arrived; false: do not answer it (the connection
  /// is being closed for it).
  virtual bool accept_ping() { return true; }
  /// The backlog fell below the limit: stream writers may go on.
  virtual void on_backlog_cleared() {}
  /// "connection from <peer>" / "connection to <peer>", for log lines.
  virtual std::string describe() const = 0;
  /// Whether the peer may vanish now without it being worth a log line.
  virtual bool quiet_to_lose() const = 0;
  /// Whether a reason to close now reaches someone who reports it (a
  /// client's handshake failure fails the waiting calls with it): then it
  /// is not logged as well.
  virtual bool failure_reaches_caller() const { return false; }
  /// The TLS handshake succeeded; false (and the connection is closed
  /// with the reason logged) to refuse the peer.
  virtual bool on_tls_established() { return true; }

  /// A line about this connection through the server's rate limit (one a
  /// connection, a few a second), as close() logs its reason.
  void log_limited(LogLevel level, const std::string& line);

 protected:
  /// For on_backlog_cleared(): lets the calls of `calls` (id -> shared_ptr
  /// to a call with resume_writes()) send what waited, until the backlog
  /// builds up again. A snapshot: a resumed write may end its call.
  template <class CallTable>
  void resume_writes(const CallTable& calls) {
    std::vector<typename CallTable::mapped_type> snapshot;
    snapshot.reserve(calls.size());
    for (const auto& [id, call] : calls) snapshot.push_back(call);
    for (const auto& call : snapshot) {
      if (!accepts_data()) return;
      call->resume_writes();
    }
  }

 private:
  static OutFramePtr make_trailers(std::uint32_t stream, StatusCode code, std::string_view message,
                                   const Metadata* metadata);
  void on_handshake(const boost::system::error_code& error);
  void begin_protocol();
  void read_some();
  void on_read(const boost::system::error_code& error, std::size_t bytes);
  void handle(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw);
  void check_hello(protocol::Frame::Reader frame);
  void dispatch(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw);
  void enqueue(OutFramePtr frame, bool is_message);
  void unblock();
  void update_backlog();
  std::size_t outgoing_bytes() const noexcept { return queued_bytes_ + blocked_bytes_ + in_flight_bytes_; }
  void watch_progress();
  void on_progress_timer();
  void on_keepalive_timer();
  void arm_keepalive(std::chrono::steady_clock::time_point when);
  void send_ping();
  void schedule_flush();
  void post_flush();
  void on_flush_turn(std::uint64_t queued_then);
  void flush();
  void on_written(const boost::system::error_code& error);

  Socket socket_;
  std::unique_ptr<TlsStream> tls_;  // null: plaintext
  PeerIdentity peer_identity_;
  bool confidential_ = false;
  boost::asio::any_io_executor executor_;
  std::string peer_;
  ConnectionSettings local_;
  ConnectionSettings peer_settings_;
  ConnectionPolicy policy_;
  FrameReader reader_;
  std::shared_ptr<InputAccount> account_;
  InputCharge current_charge_;  // of the MESSAGE frame being handled

  // A frame in progress must keep arriving (policy_.frame_progress_timeout).
  boost::asio::steady_timer progress_timer_;
  bool progress_timer_armed_ = false;
  std::unique_ptr<boost::asio::steady_timer> linger_timer_;  // close_after_flush() only
  std::chrono::steady_clock::time_point last_read_;
  // Pings a silent peer (policy_.keepalive), from the handshake on.
  Keepalive keepalive_;
  boost::asio::steady_timer keepalive_timer_;
  std::uint64_t pings_sent_ = 0;

  // Sending. The peer's connection credit (if it announced a window):
  // MESSAGE frames need it positive; blocked_ holds those that wait, and
  // the frames of their streams queued after them.
  bool peer_has_connection_window_ = false;
  std::int64_t connection_credit_ = 0;
  std::deque<OutFramePtr> blocked_;
  std::size_t blocked_bytes_ = 0;
  std::unordered_map<std::uint32_t, std::size_t> blocked_streams_;  // id -> frames in blocked_
  std::atomic<bool> backlogged_{false};  // read by stream writers on other threads
  std::atomic<std::size_t> outgoing_mirror_{0};  // outgoing_bytes(), for reserve_handoff()
  std::atomic<std::size_t> handed_over_{0};      // reserved by reserve_handoff(), not yet released
  bool read_paused_ = false;
  std::size_t control_frames_ = 0;  // non-MESSAGE frames in queue_ and blocked_
  std::uint64_t messages_sent_ = 0;

  std::deque<OutFramePtr> queue_;
  std::size_t queued_bytes_ = 0;     // in queue_
  std::size_t in_flight_bytes_ = 0;  // in in_flight_
  std::uint64_t frames_queued_ = 0;  // ever: tells a flush turn whether frames still arrive
  unsigned flush_deferrals_ = 0;
  std::vector<OutFramePtr> in_flight_;
  WriteBatch batch_;  // in_flight_'s bytes

  // The connection's life. Closing when flushed, it reads no more (the
  // peer's frames could only ask for more output) and closes once the
  // queue is written or the linger timer fires.
  enum class State { kHandshaking, kReady, kClosingWhenFlushed, kClosed };
  State state_ = State::kHandshaking;
  bool reading() const noexcept { return state_ == State::kHandshaking || state_ == State::kReady; }
  // The write path: one async_write at a time, and at most one flush turn
  // posted (schedule_flush()).
  bool writing_ = false;
  bool flush_scheduled_ = false;
};

}  // namespace idlrpc::detail
