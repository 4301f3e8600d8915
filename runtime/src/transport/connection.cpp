#include "transport/connection.hpp"

#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <capnp/serialize.h>
#include <fmt/format.h>

#include "log.hpp"
#include "transport/in_message.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {
namespace {

// A write batch stops growing past this many bytes (it always takes at
// least one frame), so a burst of large messages does not hold back the
// small frames queued behind it for long.
constexpr std::size_t kMaxBatchBytes = 256 * 1024;
// Linux accepts at most IOV_MAX (1024) buffers per writev.
constexpr std::size_t kMaxBatchBuffers = 1000;
// While frames keep arriving turn after turn of the I/O loop (a handler
// writing a stream, one message per turn), a flush waits for more of them
// to share its write system call: until this many bytes are queued, or for
// at most kMaxFlushDeferrals turns, so the wait stays short.
constexpr std::size_t kEagerFlushBytes = 64 * 1024;
constexpr unsigned kMaxFlushDeferrals = 1024;

}  // namespace

bool running_in_this_thread(const boost::asio::any_io_executor& executor) {
  const auto* io = executor.target<boost::asio::io_context::executor_type>();
  return io != nullptr && io->running_in_this_thread();
}

Connection::Connection(Socket socket, std::string peer, ConnectionSettings local)
    : socket_(std::move(socket)),
      executor_(socket_.get_executor()),
      peer_(std::move(peer)),
      local_(local),
      // The frame limit covers the frame's own header and fields around the
      // payload, so a message of exactly max_message_bytes still fits.
      reader_(std::size_t{local.max_message_bytes} + 4096),
      reader_options_(frame_reader_options(local.max_message_bytes)) {}

void Connection::start() {
  OutFramePtr hello = make_frame();
  auto h = hello->frame().initHello();
  h.setMagic(protocol::HELLO_MAGIC);
  h.setVersion(protocol::PROTOCOL_VERSION);
  h.setMaxMessageBytes(local_.max_message_bytes);
  h.setMaxConcurrentStreams(local_.max_concurrent_streams);
  h.setInitialWindowBytes(local_.window_bytes);
  send(std::move(hello));
  read_some();
}

void Connection::send(OutFramePtr frame) {
  if (!open_) return;
  queued_bytes_ += frame->seal();
  ++frames_queued_;
  queue_.push_back(std::move(frame));
  schedule_flush();
}

void Connection::send_trailers(std::uint32_t stream, StatusCode code, std::string_view message,
                               const Metadata* metadata) {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(stream);
  auto trailers = frame->frame().initTrailers();
  trailers.setCode(static_cast<std::uint16_t>(code));
  trailers.setMessage(capnp::Text::Reader(message.data(), message.size()));
  if (metadata != nullptr && !metadata->empty()) {
    encode_metadata(trailers.initMetadata(static_cast<unsigned>(metadata->size())), *metadata);
  }
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
    return InMessagePtr(new InMessage(std::move(own), reader_options_));
  }
  return InMessagePtr(new InMessage(raw, reader_options_));
}

void Connection::close(const std::string& reason, LogLevel level) {
  if (!open_) return;
  open_ = false;
  if (!reason.empty()) log(level, "{} closed: {}", describe(), reason);
  boost::system::error_code ignored;
  socket_.shutdown(Socket::shutdown_both, ignored);
  socket_.close(ignored);
  queue_.clear();
  queued_bytes_ = 0;
  on_closed(reason.empty() ? std::string("connection closed") : reason);
}

void Connection::close_after_flush() {
  if (!open_) return;
  if (!writing_ && queue_.empty()) {
    close("");
  } else {
    close_when_flushed_ = true;
  }
}

void Connection::read_some() {
  socket_.async_read_some(reader_.prepare(),
                          [self = shared_from_this()](const boost::system::error_code& error,
                                                      std::size_t bytes) { self->on_read(error, bytes); });
}

void Connection::on_read(const boost::system::error_code& error, std::size_t bytes) {
  if (!open_) return;
  if (error) {
    if (error == boost::asio::error::eof || error == boost::asio::error::connection_reset) {
      if (reader_.pending_bytes() > 0) {
        close(fmt::format("peer disconnected in the middle of a frame ({} bytes of it received)",
                          reader_.pending_bytes()));
      } else if (quiet_to_lose()) {
        close("");
      } else {
        close("peer disconnected with calls in flight");
      }
    } else {
      close("read failed: " + error.message());
    }
    return;
  }
  reader_.commit(bytes);
  try {
    while (auto words = reader_.next()) {
      capnp::FlatArrayMessageReader message(*words, reader_options_);
      handle(message.getRoot<protocol::Frame>(), *words);
      if (!open_) return;
    }
  } catch (const ProtocolError& e) {
    close(e.what());
    return;
  } catch (const std::exception& e) {
    close(fmt::format("malformed frame: {}", e.what()));
    return;
  }
  read_some();
}

void Connection::handle(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (!peer_hello_) {
    check_hello(frame);
    return;
  }
  switch (frame.which()) {
    case protocol::Frame::HELLO:
      throw ProtocolError("second HELLO on the connection");
    case protocol::Frame::PING:
      if (!frame.getPing().getAck()) {
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
  if (frame.which() != protocol::Frame::HELLO) {
    throw ProtocolError("the first frame is not a HELLO: not an idlrpc peer");
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
  peer_hello_ = true;
  on_ready();
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
  if (open_ && producing && queued_bytes_ < kEagerFlushBytes && ++flush_deferrals_ < kMaxFlushDeferrals) {
    post_flush();
    return;
  }
  flush_scheduled_ = false;
  flush();
}

void Connection::flush() {
  if (!open_ || writing_ || queue_.empty()) return;
  std::size_t batch_bytes = 0;
  while (!queue_.empty() && (in_flight_.empty() || (batch_bytes < kMaxBatchBytes &&
                                                    buffers_.size() < kMaxBatchBuffers))) {
    OutFramePtr& frame = queue_.front();
    batch_bytes += frame->size_bytes();
    queued_bytes_ -= frame->size_bytes();
    frame->append_buffers(buffers_);
    in_flight_.push_back(std::move(frame));
    queue_.pop_front();
  }
  writing_ = true;
  boost::asio::async_write(socket_, buffers_,
                           [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                             self->on_written(error);
                           });
}

void Connection::on_written(const boost::system::error_code& error) {
  writing_ = false;
  in_flight_.clear();
  buffers_.clear();
  if (!open_) return;
  if (error) {
    close("write failed: " + error.message());
    return;
  }
  if (!queue_.empty()) {
    schedule_flush();
  } else if (close_when_flushed_) {
    close("");
  }
}

}  // namespace idlrpc::detail
