#include "transport/stream_flow.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "transport/in_message.hpp"

namespace idlrpc::detail {

void StreamFlow::attach(Connection& connection, std::uint32_t id) {
  if (over_) return;
  connection_ = &connection;
  id_ = id;
  credit_ = connection.peer_settings().window_bytes;
  window_ = connection.local_settings().window_bytes;
  send_parked();
}

void StreamFlow::on_message(InMessagePtr message) {
  if (over_ || input_ended_) return;
  const std::size_t bytes = message->size_bytes();
  if (discarding_) {
    consumed(bytes);
    return;
  }
  // The peer may overshoot its credit by the one message it sent while the
  // credit was still positive; beyond that it ignores flow control.
  inbox_bytes_ += bytes;
  if (inbox_bytes_ > std::size_t{window_} + connection_->local_settings().max_message_bytes + 4096) {
    on_error_(StatusCode::RESOURCE_EXHAUSTED,
              fmt::format("peer sent {} bytes beyond the stream window of {} bytes", inbox_bytes_, window_));
    return;
  }
  inbox_.push_back(std::move(message));
  deliver();
}

void StreamFlow::on_peer_half_close() {
  if (input_ended_) return;
  input_ended_ = true;
  input_end_ = CallResult{};
  deliver();
}

void StreamFlow::on_window_update(std::uint32_t bytes) {
  credit_ += bytes;
  send_parked();
}

void StreamFlow::read(StreamCore::ReadCallback callback) {
  reader_ = std::move(callback);
  deliver();
}

void StreamFlow::write(OutFramePtr message, bool last, StreamCore::WriteCallback callback) {
  if (over_ || writes_closed_ || close_requested_ || parked_) {
    callback(false);
    return;
  }
  parked_ = std::move(message);
  parked_last_ = last;
  parked_callback_ = std::move(callback);
  send_parked();
}

void StreamFlow::close_writes(StreamCore::WriteCallback callback) {
  if (over_) {
    callback(false);
    return;
  }
  if (writes_closed_) {
    callback(true);
    return;
  }
  close_requested_ = true;
  close_callback_ = std::move(callback);
  send_parked();
}

void StreamFlow::send_parked() {
  if (connection_ == nullptr || over_) return;
  if (parked_) {
    if (credit_ <= 0) return;  // WINDOW_UPDATE will call again
    const std::size_t bytes = parked_->seal();
    const std::uint32_t limit =
        std::min(connection_->peer_settings().max_message_bytes, connection_->local_settings().max_message_bytes);
    if (bytes > limit) {
      parked_.reset();
      auto callback = std::move(parked_callback_);
      on_error_(StatusCode::RESOURCE_EXHAUSTED,
                fmt::format("message of {} bytes exceeds the limit of {} bytes", bytes, limit));
      callback(false);
      return;
    }
    parked_->frame().setStreamId(id_);
    parked_->frame().getMessage().setEndStream(parked_last_);
    connection_->send(std::move(parked_));
    credit_ -= static_cast<std::int64_t>(bytes);
    if (parked_last_) writes_closed_ = true;
    auto callback = std::move(parked_callback_);
    if (close_requested_ && !writes_closed_) send_half_close();
    callback(true);
    if (close_callback_) std::exchange(close_callback_, nullptr)(true);
    return;
  }
  if (close_requested_ && !writes_closed_) {
    send_half_close();
    if (close_callback_) std::exchange(close_callback_, nullptr)(true);
  }
}

void StreamFlow::send_half_close() {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(id_);
  frame->frame().setHalfClose();
  connection_->send(std::move(frame));
  writes_closed_ = true;
}

void StreamFlow::discard_unread() {
  discarding_ = true;
  while (!inbox_.empty()) {
    consumed(inbox_.front()->size_bytes());
    inbox_.pop_front();
  }
  inbox_bytes_ = 0;
}

void StreamFlow::end(const CallResult& result, bool discard) {
  if (over_) return;
  over_ = true;
  if (!input_ended_) {
    input_ended_ = true;
    input_end_ = result;
  }
  if (discard) {
    inbox_.clear();
    inbox_bytes_ = 0;
  }
  parked_.reset();
  auto write_callback = std::move(parked_callback_);
  auto close_callback = std::move(close_callback_);
  if (write_callback) write_callback(false);
  if (close_callback) close_callback(false);
  deliver();
}

void StreamFlow::deliver() {
  if (!reader_) return;
  if (!inbox_.empty()) {
    InMessagePtr message = std::move(inbox_.front());
    inbox_.pop_front();
    inbox_bytes_ -= message->size_bytes();
    consumed(message->size_bytes());
    std::exchange(reader_, nullptr)(std::move(message), nullptr);
  } else if (input_ended_) {
    std::exchange(reader_, nullptr)(nullptr, &input_end_);
  }
}

void StreamFlow::consumed(std::size_t bytes) {
  // Credit goes back in batches of half a window: one WINDOW_UPDATE per
  // half window read, not one per message.
  unacknowledged_ += static_cast<std::uint32_t>(bytes);
  if (over_ || connection_ == nullptr || unacknowledged_ < window_ / 2) return;
  connection_->send_window_update(id_, unacknowledged_);
  unacknowledged_ = 0;
}

}  // namespace idlrpc::detail
