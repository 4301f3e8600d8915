#include "transport/connection.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <capnp/serialize.h>
#include <fmt/format.h>
#include <kj/exception.h>

#include "idlrpc/detail/contract.hpp"
#include "log.hpp"
#include "transport/in_message.hpp"
#include "transport/metadata_codec.hpp"
#include "transport/address.hpp"
#include "transport/tls_stream.hpp"

namespace idlrpc::detail {
namespace {

// A write batch stops growing past this many bytes (it always takes at
// least one frame), so a burst of large messages does not hold back the
// small frames queued behind it for long.
constexpr std::size_t kMaxBatchBytes = 256 * 1024;
// The pieces (headers and segments) of a batch's frames: bounds the
// batch's bookkeeping when frames are tiny (WriteBatch copies them into
// one buffer, so the system call sees few).
constexpr std::size_t kMaxBatchPieces = 4096;
// While frames keep arriving turn after turn of the I/O loop (a handler
// writing a stream, one message per turn), a flush waits for more of them
// to share its write system call: until this many bytes are queued, or for
// at most kMaxFlushDeferrals turns, so the wait stays short.
constexpr std::size_t kEagerFlushBytes = 64 * 1024;
constexpr unsigned kMaxFlushDeferrals = 1024;
// How long a connection that is closing waits for its last frames to go.
constexpr std::chrono::milliseconds kCloseLinger{5000};
// The largest first frame accepted: a HELLO is about 80 bytes.
constexpr std::size_t kMaxHelloFrameBytes = 1024;
// What a frame may carry around its message (framing header, Frame fields).
constexpr std::size_t kFrameOverheadBytes = 4096;

bool is_message(OutFrame& frame) { return frame.frame().which() == protocol::Frame::MESSAGE; }

}  // namespace

bool running_in_this_thread(const boost::asio::any_io_executor& executor) {
  const auto* io = executor.target<boost::asio::io_context::executor_type>();
  return io != nullptr && io->running_in_this_thread();
}

Connection::Connection(Socket socket, std::string peer, ConnectionSettings local, ConnectionPolicy policy)
    : socket_(std::move(socket)),
      executor_(socket_.get_executor()),
      peer_(std::move(peer)),
      local_(local),
      policy_(std::move(policy)),
      // Until the peer's HELLO, only a HELLO-sized frame: a stranger cannot
      // make us buffer a large frame before it has said who it is.
      reader_(kMaxHelloFrameBytes),
      progress_timer_(executor_),
      keepalive_(policy_.keepalive),
      keepalive_timer_(executor_) {
  boost::system::error_code error;
  if (auto endpoint = socket_.remote_endpoint(error); !error) confidential_ = is_local(endpoint);
  // flush() writes at once where it can and must not block doing so.
  socket_.non_blocking(true, error);
}

Connection::~Connection() = default;

void Connection::use_tls(std::unique_ptr<TlsStream> tls) {
  IDLRPC_ASSERT(state_ == State::kHandshaking && !tls_);
  tls_ = std::move(tls);
  confidential_ = true;
}

void Connection::start() {
  if (!tls_) {
    begin_protocol();
    return;
  }
  tls_->stream().async_handshake(tls_->role(), [self = shared_from_this()](const boost::system::error_code& error) {
    self->on_handshake(error);
  });
}

void Connection::on_handshake(const boost::system::error_code& error) {
  if (!is_open()) return;
  if (error) {
    close("TLS: " + tls_->describe_failure(error));
    return;
  }
  if (!tls_->agreed_on_protocol()) {
    // The server refuses any other protocol in the handshake; a peer that
    // offered none at all (a plain TLS client, an HTTPS server) ends here.
    close(fmt::format("TLS handshake done but the peer did not agree on ALPN {}: not an idlrpc {}", kAlpnProtocol,
                      tls_->role() == boost::asio::ssl::stream_base::client ? "server" : "client"));
    return;
  }
  peer_identity_ = tls_->peer_identity();
  if (!on_tls_established()) return;
  begin_protocol();
}

void Connection::begin_protocol() {
  // The account outlives the connection while messages hold it, so what
  // it calls reaches the connection through a weak pointer.
  std::weak_ptr<Connection> weak = weak_from_this();
  account_ = std::make_shared<InputAccount>(
      local_.connection_window_bytes, policy_.input_total,
      [executor = executor_, weak](std::function<void()> fn) {
        boost::asio::post(executor, [weak, fn = std::move(fn)] {
          if (auto self = weak.lock()) fn();
        });
      },
      [weak](std::uint64_t bytes) {
        auto self = weak.lock();
        // WINDOW_UPDATE carries 32 bits; the window is at most 4 GiB.
        while (self && bytes > 0 && self->is_open()) {
          const auto step = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, 0xffffffffu));
          self->send_window_update(0, step);
          bytes -= step;
        }
      });
  OutFramePtr hello = make_frame();
  auto h = hello->frame().initHello();
  h.setMagic(protocol::HELLO_MAGIC);
  h.setVersion(protocol::PROTOCOL_VERSION);
  h.setMaxMessageBytes(local_.max_message_bytes);
  h.setMaxConcurrentStreams(local_.max_concurrent_streams);
  h.setInitialWindowBytes(local_.window_bytes);
  h.setConnectionWindowBytes(local_.connection_window_bytes);
  send(std::move(hello));
  read_some();
}

void Connection::send(OutFramePtr frame) {
  if (!is_open()) return;
  const bool message = is_message(*frame);
  const std::uint32_t stream = frame->frame().getStreamId();
  if (!blocked_.empty() || (message && peer_has_connection_window_ && connection_credit_ <= 0)) {
    // Behind blocked_: a MESSAGE without credit, and any frame of a stream
    // that has a MESSAGE waiting (its HALF_CLOSE and TRAILERS must not
    // overtake it). A CANCEL abandons the stream: it goes now, and what
    // waited for that stream is dropped.
    if (frame->frame().isCancel()) {
      if (blocked_streams_.erase(stream) != 0) {
        std::erase_if(blocked_, [&](OutFramePtr& waiting) {
          if (waiting->frame().getStreamId() != stream) return false;
          blocked_bytes_ -= waiting->size_bytes();
          if (!is_message(*waiting)) --control_frames_;
          return true;
        });
      }
    } else if (message || (stream != 0 && blocked_streams_.contains(stream))) {
      blocked_bytes_ += frame->seal();
      if (!message) ++control_frames_;
      ++blocked_streams_[stream];
      blocked_.push_back(std::move(frame));
      update_backlog();
      return;
    }
  }
  enqueue(std::move(frame), message);
}

void Connection::enqueue(OutFramePtr frame, bool message) {
  queued_bytes_ += frame->seal();
  ++frames_queued_;
  if (message) {
    ++messages_sent_;
    if (peer_has_connection_window_) connection_credit_ -= static_cast<std::int64_t>(frame->size_bytes());
  } else if (++control_frames_ > policy_.max_queued_control_frames && policy_.max_queued_control_frames != 0) {
    // The peer makes us answer (pings, refused calls) and reads none of it.
    close(fmt::format("peer does not read what it asks for: {} frames queued (limit {})", control_frames_,
                      policy_.max_queued_control_frames));
    return;
  }
  queue_.push_back(std::move(frame));
  update_backlog();
  schedule_flush();
}

void Connection::unblock() {
  // In order: a MESSAGE needs credit, the frames behind it only their turn.
  while (is_open() && !blocked_.empty()) {
    OutFramePtr& front = blocked_.front();
    const bool message = is_message(*front);
    if (message && connection_credit_ <= 0) break;
    const std::uint32_t stream = front->frame().getStreamId();
    if (auto it = blocked_streams_.find(stream); it != blocked_streams_.end() && --it->second == 0) {
      blocked_streams_.erase(it);
    }
    blocked_bytes_ -= front->size_bytes();
    if (!message) --control_frames_;
    OutFramePtr frame = std::move(front);
    blocked_.pop_front();
    enqueue(std::move(frame), message);
  }
}

bool Connection::reserve_handoff(std::size_t bytes) noexcept {
  if (policy_.max_write_queue_bytes == 0) return true;
  const std::size_t before = handed_over_.fetch_add(bytes, std::memory_order_relaxed);
  // Admitted while below the limit, so one message of any size still goes.
  if (outgoing_mirror_.load(std::memory_order_relaxed) + before < policy_.max_write_queue_bytes) return true;
  handed_over_.fetch_sub(bytes, std::memory_order_relaxed);
  return false;
}

void Connection::release_handoff(std::size_t bytes) noexcept {
  if (policy_.max_write_queue_bytes == 0) return;
  const std::size_t reserved = handed_over_.fetch_sub(bytes, std::memory_order_relaxed);
  IDLRPC_ASSERT(reserved >= bytes);  // released once, after reserve_handoff()
}

void Connection::update_backlog() {
  if (policy_.max_write_queue_bytes == 0) return;
  outgoing_mirror_.store(outgoing_bytes(), std::memory_order_relaxed);
  const bool backlogged = outgoing_bytes() >= policy_.max_write_queue_bytes;
  if (backlogged == backlogged_.load(std::memory_order_relaxed)) return;
  backlogged_.store(backlogged, std::memory_order_relaxed);
  if (backlogged) return;
  if (read_paused_) {
    read_paused_ = false;
    last_read_ = std::chrono::steady_clock::now();  // the peer waited for us, not we for it
    read_some();
  }
  on_backlog_cleared();
}

OutFramePtr Connection::make_trailers(std::uint32_t stream, StatusCode code, std::string_view message,
                                      const Metadata* metadata) {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(stream);
  auto trailers = frame->frame().initTrailers();
  trailers.setCode(static_cast<std::uint16_t>(code));
  trailers.setMessage(capnp::Text::Reader(message.data(), message.size()));
  if (metadata != nullptr && !metadata->empty()) {
    encode_metadata(trailers.initMetadata(static_cast<unsigned>(metadata->size())), *metadata);
  }
  return frame;
}

void Connection::send_trailers(std::uint32_t stream, StatusCode code, std::string_view message,
                               const Metadata* metadata) {
  send(make_trailers(stream, code, message, metadata));
}

void Connection::send_refusal(std::uint32_t stream, StatusCode code, std::string_view message) {
  OutFramePtr frame = make_trailers(stream, code, message, nullptr);
  frame->frame().getTrailers().setRefused(true);
  send(std::move(frame));
}

void Connection::send_cancel(std::uint32_t stream, StatusCode code, std::string_view message) {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(stream);
  auto cancel = frame->frame().initCancel();
  cancel.setCode(static_cast<std::uint16_t>(code));
  cancel.setMessage(capnp::Text::Reader(message.data(), message.size()));
  send(std::move(frame));
}

void Connection::send_window_update(std::uint32_t stream, std::uint32_t bytes) {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(stream);
  frame->frame().initWindowUpdate().setBytes(bytes);
  send(std::move(frame));
}

void Connection::send_go_away(std::uint32_t last_stream, StatusCode code, std::string_view message) {
  OutFramePtr frame = make_frame();
  auto go_away = frame->frame().initGoAway();
  go_away.setLastStreamId(last_stream);
  go_away.setCode(static_cast<std::uint16_t>(code));
  go_away.setMessage(capnp::Text::Reader(message.data(), message.size()));
  send(std::move(frame));
}

InMessagePtr Connection::take_message(kj::ArrayPtr<const capnp::word> raw) {
  if (kj::Array<capnp::word> own = reader_.release(raw); own != nullptr) {
    return InMessage::adopt(std::move(own), take_charge());
  }
  return InMessage::copy(raw, take_charge());
}

void Connection::log_limited(LogLevel level, const std::string& line) {
  if (std::size_t dropped = 0; !policy_.close_log_limit || policy_.close_log_limit->admit(dropped)) {
    if (dropped == 0) {
      log(level, "{}", line);
    } else {
      log(level, "{} ({} more such lines suppressed)", line, dropped);
    }
  }
}

void Connection::close(const std::string& reason, LogLevel level) {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  // One line a connection, and (a server's) no more than a few a second.
  if (!reason.empty() && !failure_reaches_caller()) log_limited(level, fmt::format("{} closed: {}", describe(), reason));
  boost::system::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  progress_timer_.cancel();
  keepalive_timer_.cancel();
  if (linger_timer_) linger_timer_->cancel();
  queue_.clear();
  queued_bytes_ = 0;
  blocked_.clear();
  blocked_bytes_ = 0;
  blocked_streams_.clear();
  control_frames_ = 0;
  on_closed(reason.empty() ? std::string("connection closed") : reason);
}

void Connection::close_after_flush() {
  if (!reading()) return;
  if (!writing_ && queue_.empty()) {
    close("");
    return;
  }
  // Nothing more is read (the peer's frames could only ask for more
  // output), and a peer that does not read either gets a moment, not forever.
  state_ = State::kClosingWhenFlushed;
  linger_timer_ = std::make_unique<boost::asio::steady_timer>(executor_, kCloseLinger);
  linger_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) {
      self->close(fmt::format("peer did not read the last frames within {} ms", kCloseLinger.count()),
                  LogLevel::kInfo);
    }
  });
}

void Connection::read_some() {
  auto on_read = [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
    self->on_read(error, bytes);
  };
  if (tls_) {
    tls_->stream().async_read_some(reader_.prepare(), std::move(on_read));
  } else {
    socket_.async_read_some(reader_.prepare(), std::move(on_read));
  }
}

void Connection::on_read(const boost::system::error_code& error, std::size_t bytes) {
  if (!is_open()) return;
  if (error) {
    // A TLS peer that closes without close_notify reads as end of stream
    // (SSL_OP_IGNORE_UNEXPECTED_EOF; stream_truncated where that is not
    // in effect): the framing tells a cut-off frame from a clean end.
    if (error == boost::asio::error::eof || error == boost::asio::error::connection_reset ||
        error == boost::asio::ssl::error::stream_truncated) {
      if (reader_.pending_bytes() > 0) {
        close(fmt::format("peer disconnected in the middle of a frame ({} bytes of it received)",
                          reader_.pending_bytes()));
      } else if (quiet_to_lose()) {
        close("");
      } else {
        close("peer disconnected with calls in flight");
      }
    } else {
      close(tls_ ? "TLS: " + tls_->describe_failure(error) : "read failed: " + error.message());
    }
    return;
  }
  reader_.commit(bytes);
  last_read_ = std::chrono::steady_clock::now();
  if (auto wake = keepalive_.on_read(last_read_)) arm_keepalive(*wake);
  try {
    while (reading()) {
      auto words = reader_.next();
      if (!words) break;
      // Traversal limited by this frame's own size, not the largest
      // allowed: pointers that share one value cannot amplify a small frame.
      capnp::FlatArrayMessageReader message(*words, frame_reader_options(words->size() * sizeof(capnp::word)));
      handle(message.getRoot<protocol::Frame>(), *words);
      if (!reading()) return;
    }
  } catch (const ProtocolError& e) {
    close(e.what());
    return;
  } catch (const kj::Exception& e) {
    // Cap'n Proto's what() carries a stack trace; the log wants the reason.
    close(fmt::format("malformed frame: {}", e.getDescription().cStr()));
    return;
  } catch (const std::exception& e) {
    close(fmt::format("malformed frame: {}", e.what()));
    return;
  }
  if (!reading()) return;  // read no more (close_after_flush)
  if (reader_.pending_bytes() > 0) watch_progress();
  if (policy_.pause_reading_when_backlogged && backlogged_.load(std::memory_order_relaxed)) {
    read_paused_ = true;  // update_backlog() resumes
    return;
  }
  read_some();
}

void Connection::watch_progress() {
  if (policy_.frame_progress_timeout.count() == 0 || progress_timer_armed_) return;
  progress_timer_armed_ = true;
  progress_timer_.expires_at(std::max(last_read_, std::chrono::steady_clock::now() - policy_.frame_progress_timeout) +
                             policy_.frame_progress_timeout);
  progress_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    self->progress_timer_armed_ = false;
    if (!error) self->on_progress_timer();
  });
}

void Connection::on_progress_timer() {
  if (!is_open() || reader_.pending_bytes() == 0) return;
  // Our own pause is not the peer's stall.
  if (read_paused_) last_read_ = std::chrono::steady_clock::now();
  if (std::chrono::steady_clock::now() - last_read_ < policy_.frame_progress_timeout) {
    watch_progress();
    return;
  }
  close(fmt::format("a frame stalled: no byte of it for {} ms ({} bytes of it received)",
                    policy_.frame_progress_timeout.count(), reader_.pending_bytes()));
}

void Connection::handle(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (state_ == State::kHandshaking) {
    check_hello(frame);
    return;
  }
  if (frame.which() != protocol::Frame::MESSAGE) {
    dispatch(frame, raw);
    return;
  }
  // Charged before anyone sees it; released at once unless kept.
  const std::size_t bytes = raw.size() * sizeof(capnp::word);
  account_->charge(bytes);
  current_charge_ = InputCharge(account_, bytes);
  if (local_.connection_window_bytes != 0 &&
      account_->held() > std::uint64_t{local_.connection_window_bytes} + local_.max_message_bytes + kFrameOverheadBytes) {
    throw ProtocolError(fmt::format("peer ignores connection flow control: {} bytes unread (window {} bytes)",
                                    account_->held(), local_.connection_window_bytes));
  }
  on_frame(frame, raw);
  current_charge_.reset();
}

void Connection::dispatch(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  switch (frame.which()) {
    case protocol::Frame::HELLO:
      throw ProtocolError("second HELLO on the connection");
    case protocol::Frame::WINDOW_UPDATE:
      if (frame.getStreamId() != 0) {
        on_frame(frame, raw);
      } else if (peer_has_connection_window_) {
        connection_credit_ += frame.getWindowUpdate().getBytes();
        unblock();
      }
      return;
    case protocol::Frame::PING:
      if (!frame.getPing().getAck() && accept_ping()) {
        OutFramePtr pong = make_frame();
        auto ping = pong->frame().initPing();
        ping.setOpaque(frame.getPing().getOpaque());
        ping.setAck(true);
        send(std::move(pong));
      }
      return;
    default:
      on_frame(frame, raw);
  }
}

void Connection::check_hello(protocol::Frame::Reader frame) {
  if (frame.which() == protocol::Frame::GO_AWAY) {
    // A server that will not serve this connection (a plaintext client on
    // a TLS port) says why instead of its HELLO (docs/protocol.md).
    const auto go_away = frame.getGoAway();
    throw ProtocolError(fmt::format("the server refused the connection: {}",
                                    std::string_view(go_away.getMessage().cStr(), go_away.getMessage().size())));
  }
  if (frame.which() != protocol::Frame::HELLO) {
    throw ProtocolError("the first frame is not a HELLO: not an idlrpc peer");
  }
  if (frame.getStreamId() != 0) {
    throw ProtocolError(fmt::format("HELLO on stream {}: it belongs to stream 0", frame.getStreamId()));
  }
  auto hello = frame.getHello();
  if (hello.getMagic() != protocol::HELLO_MAGIC) {
    throw ProtocolError("HELLO has the wrong magic number: not an idlrpc peer");
  }
  if (hello.getVersion() != protocol::PROTOCOL_VERSION) {
    throw ProtocolError(fmt::format("peer speaks protocol version {}, we speak {}", hello.getVersion(),
                                    protocol::PROTOCOL_VERSION));
  }
  peer_settings_.max_message_bytes = hello.getMaxMessageBytes();
  peer_settings_.max_concurrent_streams = hello.getMaxConcurrentStreams();
  peer_settings_.window_bytes = hello.getInitialWindowBytes();
  peer_settings_.connection_window_bytes = hello.getConnectionWindowBytes();
  peer_has_connection_window_ = peer_settings_.connection_window_bytes != 0;
  connection_credit_ = peer_settings_.connection_window_bytes;
  // The frame limit covers the frame's own header and fields around the
  // payload, so a message of exactly max_message_bytes still fits.
  reader_.set_max_frame_bytes(std::size_t{local_.max_message_bytes} + kFrameOverheadBytes);
  state_ = State::kReady;
  if (keepalive_.settings().enabled()) arm_keepalive(last_read_ + keepalive_.settings().time);
  on_ready();
}

void Connection::arm_keepalive(std::chrono::steady_clock::time_point when) {
  keepalive_timer_.expires_at(when);
  // Weak: the timer may wait for hours (a server's 2 h); it must not keep
  // a connection nobody else holds.
  keepalive_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
    if (auto self = weak.lock(); self && !error) self->on_keepalive_timer();
  });
}

void Connection::on_keepalive_timer() {
  if (!reading()) return;  // closing: the linger timer bounds what is left
  const auto now = std::chrono::steady_clock::now();
  // Our own pause (a backlog to a peer that does not read) is not the
  // peer's silence; the write backlog has limits of its own.
  if (read_paused_) last_read_ = now;
  const Keepalive::Step step = keepalive_.on_wake(now, last_read_, has_open_calls());
  if (const auto* sleep = std::get_if<Keepalive::Sleep>(&step)) {
    arm_keepalive(sleep->until);
  } else if (const auto* ping = std::get_if<Keepalive::SendPing>(&step)) {
    send_ping();
    arm_keepalive(ping->until);
  } else {
    const auto& settings = keepalive_.settings();
    close(fmt::format("keepalive timed out: no reply from {} within {} ms of a ping (nothing read for {} ms)", peer_,
                      settings.timeout.count(),
                      std::chrono::duration_cast<std::chrono::milliseconds>(now - last_read_).count()));
  }
}

void Connection::send_ping() {
  OutFramePtr frame = make_frame();
  auto ping = frame->frame().initPing();
  ping.setOpaque(++pings_sent_);
  ping.setAck(false);
  send(std::move(frame));
}

void Connection::schedule_flush() {
  // Deferred to the end of this turn of the I/O loop, so every frame queued
  // meanwhile (replies to a whole read buffer of requests, say) shares one
  // write system call.
  if (flush_scheduled_ || writing_) return;
  flush_scheduled_ = true;
  flush_deferrals_ = 0;
  post_flush();
}

void Connection::post_flush() {
  boost::asio::post(executor_, [self = shared_from_this(), queued_then = frames_queued_] {
    self->on_flush_turn(queued_then);
  });
}

void Connection::on_flush_turn(std::uint64_t queued_then) {
  // A frame queued since the last turn means a producer is still going:
  // give it another turn, unless the batch is already worth a write.
  const bool producing = frames_queued_ != queued_then;
  if (is_open() && producing && queued_bytes_ < kEagerFlushBytes && ++flush_deferrals_ < kMaxFlushDeferrals) {
    post_flush();
    return;
  }
  flush_scheduled_ = false;
  flush();
}

void Connection::flush() {
  if (!is_open() || writing_ || queue_.empty()) return;
  std::size_t batch_bytes = 0;
  while (!queue_.empty() && (in_flight_.empty() || (batch_bytes < kMaxBatchBytes &&
                                                    batch_.piece_count() < kMaxBatchPieces))) {
    OutFramePtr& frame = queue_.front();
    batch_bytes += frame->size_bytes();
    queued_bytes_ -= frame->size_bytes();
    if (!is_message(*frame)) --control_frames_;
    batch_.add(*frame);
    in_flight_.push_back(std::move(frame));
    queue_.pop_front();
  }
  in_flight_bytes_ = batch_bytes;
  writing_ = true;
  auto when_written = [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
    self->on_written(error);
  };
  if (tls_) {
    std::string& sealed = tls_->write_buffer();
    sealed.clear();
    batch_.copy_all(sealed);
    boost::asio::async_write(tls_->stream(), boost::asio::buffer(sealed), TransferRemaining{},
                             std::move(when_written));
    return;
  }
  // Offered to the kernel at once: when it takes everything (its send
  // buffer has room, the common case) the write is complete here, with no
  // completion handler and no further turn of the I/O loop (half the loop
  // turns of a small round trip). What it does not take goes by
  // async_write, which waits for the socket to drain.
  const auto& buffers = batch_.gather();
  boost::system::error_code error;
  const std::size_t written = socket_.write_some(buffers, error);
  if (error == boost::asio::error::would_block || error == boost::asio::error::try_again) error.clear();
  if (error || written == batch_bytes) {
    on_written(error);
    return;
  }
  batch_.consume(written);  // `buffers` now holds the rest
  boost::asio::async_write(socket_, buffers, TransferRemaining{}, std::move(when_written));
}

void Connection::on_written(const boost::system::error_code& error) {
  writing_ = false;
  in_flight_.clear();
  batch_.clear();
  in_flight_bytes_ = 0;
  if (!is_open()) return;
  if (error) {
    close("write failed: " + error.message());
    return;
  }
  update_backlog();
  if (!is_open()) return;
  if (!queue_.empty()) {
    schedule_flush();
    return;
  }
  // Nothing more to write: an idle connection keeps little memory.
  batch_.trim();
  if (state_ == State::kClosingWhenFlushed) close("");
}

}  // namespace idlrpc::detail
