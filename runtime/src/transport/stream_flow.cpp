#include "transport/stream_flow.hpp"

#include <algorithm>
#include <utility>

#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "transport/in_message.hpp"

namespace idlrpc::detail {

void StreamFlow::attach(Connection& connection, std::uint32_t id) {
  if (phase_ == Phase::kOver) return;
  IDLRPC_ASSERT(phase_ == Phase::kUnattached);
  phase_ = Phase::kAttached;
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
    handoff_open_ = output_ == Output::kOpen;
  }
  send_parked();
}

void StreamFlow::on_message(InMessagePtr message) {
  if (phase_ != Phase::kAttached) return;
  const std::size_t bytes = message->size_bytes();
  ++counts_.received;
  counts_.bytes_received += bytes;
  // The peer may overshoot its credit by the one message it sent while the
  // credit was still positive; beyond that it ignores flow control.
  const std::size_t most_unread = std::size_t{window_} + connection_->local_settings().max_message_bytes + 4096;
  std::size_t unread = 0;
  std::uint32_t grant = 0;
  Input input;
  {
    std::lock_guard lock(inbox_mutex_);
    input = input_;
    if (input == Input::kEnded) return;
    if (input == Input::kDiscarding) {
      grant = consume_locked(bytes);
    } else {
      inbox_bytes_ += bytes;
      unread = inbox_bytes_;
      if (unread <= most_unread) inbox_.push_back(std::move(message));
    }
  }
  give_back(grant);
  if (unread > most_unread) {
    on_error_(StatusCode::RESOURCE_EXHAUSTED, status_text::stream_window_overrun(unread, window_));
    return;
  }
  if (input == Input::kOpen) deliver();
}

void StreamFlow::on_peer_half_close() {
  {
    std::lock_guard lock(inbox_mutex_);
    if (input_ == Input::kEnded) return;
    input_end_ = CallResult{};
    input_ = Input::kEnded;
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
  IDLRPC_ASSERT(!reader_);  // claim_read() let only one through
  reader_ = std::move(callback);
  deliver();
}

void StreamFlow::complete_write(StreamCore::WriteCallback callback, bool sent) {
  writing_.release();
  callback(sent);
}

void StreamFlow::write(OutFramePtr message, bool last, StreamCore::WriteCallback callback) {
  if (!writes_open() || parked_) {
    complete_write(std::move(callback), false);
    return;
  }
  parked_.emplace(ParkedWrite{std::move(message), last, std::move(callback)});
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
  if (!writes_open()) return StreamCore::WriteNow::kOver;
  if (parked_ || phase_ != Phase::kAttached || credit_ <= 0 || !stalled_.empty() ||
      !connection_->accepts_data() || !take_turn()) {
    return StreamCore::WriteNow::kWait;
  }
  return send(std::move(message), last) ? StreamCore::WriteNow::kSent : StreamCore::WriteNow::kOver;
}

bool StreamFlow::read_now(InMessagePtr& message, const CallResult*& end) {
  if (reader_) return false;
  std::uint32_t grant = 0;
  {
    std::lock_guard lock(inbox_mutex_);
    if ((inbox_.empty() && input_ != Input::kEnded) || !take_turn()) return false;
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
  if (phase_ == Phase::kOver || output_ == Output::kClosed) {
    complete_write(std::move(callback), phase_ != Phase::kOver);
    return;
  }
  output_ = Output::kClosing;
  close_writes_ahead();
  close_callback_ = std::move(callback);
  send_parked();
}

void StreamFlow::finish_close(bool closed) {
  if (close_callback_) complete_write(std::exchange(close_callback_, nullptr), closed);
}

void StreamFlow::send_parked() {
  if (phase_ != Phase::kAttached) return;
  // Frames handed over earlier go first; all wait while the connection is
  // backlogged (Connection::on_backlog_cleared calls again).
  if (!send_stalled()) return;
  if (parked_) {
    if (credit_ <= 0) return;  // WINDOW_UPDATE will call again
    if (!connection_->accepts_data()) return;
    ParkedWrite write = std::move(*parked_);
    parked_.reset();
    if (!send(std::move(write.message), write.last)) {
      complete_write(std::move(write.callback), false);
      return;
    }
    if (output_ == Output::kClosing) send_half_close();
    complete_write(std::move(write.callback), true);
    finish_close(true);
    return;
  }
  if (output_ == Output::kClosing) {
    send_half_close();
    finish_close(true);
  }
}

bool StreamFlow::hand_over(OutFramePtr& message, bool& schedule_drain) {
  const std::size_t bytes = message->seal();  // here, on the writer's thread
  std::lock_guard lock(handoff_mutex_);
  // connection_ is valid while handoff_open_ (end() closes it first).
  if (!handoff_open_ || handoff_credit_ <= 0 || !connection_->reserve_handoff(bytes)) return false;
  handoff_credit_ -= static_cast<std::int64_t>(bytes);
  schedule_drain = handoff_.empty();  // else the drain scheduled for the first one takes this too
  handoff_.push_back(std::move(message));
  return true;
}

void StreamFlow::drain_handoff() {
  {
    std::lock_guard lock(handoff_mutex_);
    for (auto& frame : handoff_) stalled_.push_back(std::move(frame));
    handoff_.clear();
  }
  send_stalled();
}

bool StreamFlow::send_stalled() {
  while (!stalled_.empty()) {
    // Dropped if the call ended meanwhile: the writer's next write learns.
    if (phase_ == Phase::kOver || output_ == Output::kClosed) {
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
  if (input_ == Input::kEnded) return;
  input_end_ = result;  // before input_: readers take its address
  input_ = Input::kEnded;
  dropped.swap(inbox_);
  inbox_bytes_ = 0;
}

void StreamFlow::close_writes_ahead() {
  std::lock_guard lock(handoff_mutex_);
  handoff_open_ = false;
}

bool StreamFlow::send(OutFramePtr message, bool last, bool prepaid) {
  IDLRPC_ASSERT(phase_ == Phase::kAttached);
  const std::size_t bytes = message->seal();
  const std::uint32_t limit =
      std::min(connection_->peer_settings().max_message_bytes, connection_->local_settings().max_message_bytes);
  if (bytes > limit) {
    on_error_(StatusCode::RESOURCE_EXHAUSTED, status_text::too_large(status_text::Oversized::kMessage, bytes, limit));
    return false;
  }
  message->frame().setStreamId(id_);
  message->frame().getMessage().setEndStream(last);
  connection_->send(std::move(message));
  ++counts_.sent;
  counts_.bytes_sent += bytes;
  credit_ -= static_cast<std::int64_t>(bytes);
  if (!prepaid) {
    std::lock_guard lock(handoff_mutex_);
    handoff_credit_ -= static_cast<std::int64_t>(bytes);
  }
  if (last) {
    output_ = Output::kClosed;
    close_writes_ahead();
  }
  return true;
}

void StreamFlow::send_half_close() {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(id_);
  frame->frame().setHalfClose();
  connection_->send(std::move(frame));
  output_ = Output::kClosed;
  close_writes_ahead();
}

void StreamFlow::discard_unread() {
  std::deque<InMessagePtr> dropped;
  std::uint32_t grant = 0;
  {
    std::lock_guard lock(inbox_mutex_);
    if (input_ == Input::kOpen) input_ = Input::kDiscarding;
    dropped.swap(inbox_);
    grant = consume_locked(inbox_bytes_);
    inbox_bytes_ = 0;
  }
  give_back(grant);
}

void StreamFlow::end(const CallResult& result, bool discard) {
  if (phase_ == Phase::kOver) return;
  const bool attached = phase_ == Phase::kAttached;
  phase_ = Phase::kOver;
  close_writes_ahead();
  std::deque<InMessagePtr> dropped;
  {
    std::lock_guard lock(inbox_mutex_);
    if (input_ != Input::kEnded) {
      input_end_ = result;
      input_ = Input::kEnded;
    }
    if (discard) {
      dropped.swap(inbox_);
      inbox_bytes_ = 0;
    }
  }
  if (attached) drop_stalled();
  std::optional<ParkedWrite> parked = std::move(parked_);
  parked_.reset();
  if (parked) complete_write(std::move(parked->callback), false);
  finish_close(false);
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
  auto reader = std::exchange(reader_, nullptr);
  reading_.release();
  reader(std::move(message), end);
}

bool StreamFlow::take_locked(InMessagePtr& message, const CallResult*& end, std::uint32_t& grant) {
  if (!inbox_.empty()) {
    message = std::move(inbox_.front());
    inbox_.pop_front();
    inbox_bytes_ -= message->size_bytes();
    grant = consume_locked(message->size_bytes());
    return true;
  }
  if (input_ == Input::kEnded) {
    end = &input_end_;  // set once, before input_ changed: stable from here on
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
  if (grant == 0 || phase_ != Phase::kAttached) return;
  connection_->send_window_update(id_, grant);
}

}  // namespace idlrpc::detail
