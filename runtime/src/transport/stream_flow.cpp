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
  {
    std::lock_guard lock(inbox_mutex_);
    window_ = connection.local_settings().window_bytes;
  }
  {
    std::lock_guard lock(handoff_mutex_);
    handoff_credit_ = credit_;
    handoff_open_ = !writes_closed_ && !close_requested_;
  }
  send_parked();
}

void StreamFlow::on_message(InMessagePtr message) {
  if (over_) return;
  const std::size_t bytes = message->size_bytes();
  // The peer may overshoot its credit by the one message it sent while the
  // credit was still positive; beyond that it ignores flow control.
  const std::size_t most_unread = std::size_t{window_} + connection_->local_settings().max_message_bytes + 4096;
  std::size_t unread = 0;
  std::uint32_t grant = 0;
  {
    std::lock_guard lock(inbox_mutex_);
    if (input_ended_) return;
    if (discarding_) {
      grant = consume_locked(bytes);
    } else {
      inbox_bytes_ += bytes;
      unread = inbox_bytes_;
      if (unread <= most_unread) inbox_.push_back(std::move(message));
    }
  }
  give_back(grant);
  if (unread > most_unread) {
    on_error_(StatusCode::RESOURCE_EXHAUSTED,
              fmt::format("peer sent {} bytes beyond the stream window of {} bytes", unread, window_));
    return;
  }
  if (!discarding_) deliver();
}

void StreamFlow::on_peer_half_close() {
  {
    std::lock_guard lock(inbox_mutex_);
    if (input_ended_) return;
    input_end_ = CallResult{};
    input_ended_ = true;
  }
  deliver();
}

void StreamFlow::on_window_update(std::uint32_t bytes) {
  credit_ += bytes;
  {
    std::lock_guard lock(handoff_mutex_);
    handoff_credit_ += bytes;
  }
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

bool StreamFlow::take_turn() {
  // Every so often an operation that could complete at once goes through
  // the I/O loop anyway, so one busy stream cannot starve the others on
  // its thread.
  if (++fast_streak_ < kMaxFastStreak) return true;
  fast_streak_ = 0;
  return false;
}

StreamCore::WriteNow StreamFlow::write_now(OutFramePtr& message, bool last) {
  if (over_ || writes_closed_ || close_requested_) return StreamCore::WriteNow::kOver;
  if (parked_ || connection_ == nullptr || credit_ <= 0 || !stalled_.empty() || !connection_->accepts_data() ||
      !take_turn()) {
    return StreamCore::WriteNow::kWait;
  }
  return send(std::move(message), last) ? StreamCore::WriteNow::kSent : StreamCore::WriteNow::kOver;
}

bool StreamFlow::read_now(InMessagePtr& message, const CallResult*& end) {
  if (reader_) return false;
  std::uint32_t grant = 0;
  {
    std::lock_guard lock(inbox_mutex_);
    if ((inbox_.empty() && !input_ended_) || !take_turn()) return false;
    take_locked(message, end, grant);
  }
  give_back(grant);
  return true;
}

bool StreamFlow::read_ahead(InMessagePtr& message, const CallResult*& end, std::uint32_t& grant) {
  std::lock_guard lock(inbox_mutex_);
  return take_locked(message, end, grant);
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
  close_writes_ahead();
  close_callback_ = std::move(callback);
  send_parked();
}

void StreamFlow::send_parked() {
  if (connection_ == nullptr || over_) return;
  // Frames handed over earlier go first; all wait while the connection is
  // backlogged (Connection::on_backlog_cleared calls again).
  if (!send_stalled()) return;
  if (parked_) {
    if (credit_ <= 0) return;  // WINDOW_UPDATE will call again
    if (!connection_->accepts_data()) return;
    auto callback = std::move(parked_callback_);
    if (!send(std::move(parked_), parked_last_)) {
      callback(false);
      return;
    }
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

bool StreamFlow::hand_over(OutFramePtr& message, bool& schedule_drain) {
  const std::size_t bytes = message->seal();  // here, on the writer's thread
  std::lock_guard lock(handoff_mutex_);
  // connection_ is valid while handoff_open_ (end() closes it first).
  if (!handoff_open_ || handoff_credit_ <= 0 || !connection_->reserve_handoff(bytes)) return false;
  handoff_credit_ -= static_cast<std::int64_t>(bytes);
  handoff_.push_back(std::move(message));
  schedule_drain = !handoff_scheduled_;
  handoff_scheduled_ = true;
  return true;
}

void StreamFlow::drain_handoff() {
  {
    std::lock_guard lock(handoff_mutex_);
    for (auto& frame : handoff_) stalled_.push_back(std::move(frame));
    handoff_.clear();
    handoff_scheduled_ = false;
  }
  send_stalled();
}

bool StreamFlow::send_stalled() {
  while (!stalled_.empty()) {
    // Dropped if the call ended meanwhile: the writer's next write learns.
    if (over_ || writes_closed_) {
      drop_stalled();
      return true;
    }
    if (!connection_->accepts_data()) return false;
    OutFramePtr frame = std::move(stalled_.front());
    stalled_.pop_front();
    connection_->release_handoff(frame->size_bytes());
    if (!send(std::move(frame), false, true)) {
      drop_stalled();
      return true;
    }
  }
  return true;
}

void StreamFlow::drop_stalled() {
  for (const auto& frame : stalled_) connection_->release_handoff(frame->size_bytes());
  stalled_.clear();
}

void StreamFlow::end_reads_now(const CallResult& result) {
  std::deque<InMessagePtr> dropped;  // destroyed outside the lock
  std::lock_guard lock(inbox_mutex_);
  if (input_ended_) return;
  input_end_ = result;  // before input_ended_: readers take its address
  input_ended_ = true;
  dropped.swap(inbox_);
  inbox_bytes_ = 0;
}

void StreamFlow::close_writes_ahead() {
  std::lock_guard lock(handoff_mutex_);
  handoff_open_ = false;
}

bool StreamFlow::send(OutFramePtr message, bool last, bool prepaid) {
  const std::size_t bytes = message->seal();
  const std::uint32_t limit =
      std::min(connection_->peer_settings().max_message_bytes, connection_->local_settings().max_message_bytes);
  if (bytes > limit) {
    on_error_(StatusCode::RESOURCE_EXHAUSTED,
              fmt::format("message of {} bytes exceeds the limit of {} bytes", bytes, limit));
    return false;
  }
  message->frame().setStreamId(id_);
  message->frame().getMessage().setEndStream(last);
  connection_->send(std::move(message));
  credit_ -= static_cast<std::int64_t>(bytes);
  if (!prepaid) {
    std::lock_guard lock(handoff_mutex_);
    handoff_credit_ -= static_cast<std::int64_t>(bytes);
  }
  if (last) {
    writes_closed_ = true;
    close_writes_ahead();
  }
  return true;
}

void StreamFlow::send_half_close() {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(id_);
  frame->frame().setHalfClose();
  connection_->send(std::move(frame));
  writes_closed_ = true;
  close_writes_ahead();
}

void StreamFlow::discard_unread() {
  discarding_ = true;
  std::deque<InMessagePtr> dropped;
  std::uint32_t grant = 0;
  {
    std::lock_guard lock(inbox_mutex_);
    dropped.swap(inbox_);
    grant = consume_locked(inbox_bytes_);
    inbox_bytes_ = 0;
  }
  give_back(grant);
}

void StreamFlow::end(const CallResult& result, bool discard) {
  if (over_) return;
  over_ = true;
  close_writes_ahead();
  std::deque<InMessagePtr> dropped;
  {
    std::lock_guard lock(inbox_mutex_);
    if (!input_ended_) {
      input_end_ = result;
      input_ended_ = true;
    }
    if (discard) {
      dropped.swap(inbox_);
      inbox_bytes_ = 0;
    }
  }
  parked_.reset();
  if (connection_ != nullptr) drop_stalled();
  auto write_callback = std::move(parked_callback_);
  auto close_callback = std::move(close_callback_);
  if (write_callback) write_callback(false);
  if (close_callback) close_callback(false);
  deliver();
}

void StreamFlow::deliver() {
  if (!reader_) return;
  InMessagePtr message;
  const CallResult* end = nullptr;
  std::uint32_t grant = 0;
  {
    std::lock_guard lock(inbox_mutex_);
    if (!take_locked(message, end, grant)) return;
  }
  give_back(grant);
  std::exchange(reader_, nullptr)(std::move(message), end);
}

bool StreamFlow::take_locked(InMessagePtr& message, const CallResult*& end, std::uint32_t& grant) {
  if (!inbox_.empty()) {
    message = std::move(inbox_.front());
    inbox_.pop_front();
    inbox_bytes_ -= message->size_bytes();
    grant = consume_locked(message->size_bytes());
    return true;
  }
  if (input_ended_) {
    end = &input_end_;  // set once, before input_ended_: stable from here on
    return true;
  }
  return false;
}

std::uint32_t StreamFlow::consume_locked(std::size_t bytes) {
  // Credit goes back in batches of half a window: one WINDOW_UPDATE per
  // half window read, not one per message.
  unacknowledged_ += static_cast<std::uint32_t>(bytes);
  if (unacknowledged_ < window_ / 2) return 0;
  return std::exchange(unacknowledged_, 0);
}

void StreamFlow::give_back(std::uint32_t grant) {
  if (grant == 0 || over_ || connection_ == nullptr) return;
  connection_->send_window_update(id_, grant);
}

}  // namespace idlrpc::detail
