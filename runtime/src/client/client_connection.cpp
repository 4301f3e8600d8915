#include "client/client_connection.hpp"

#include <string_view>
#include <vector>

#include "client/subchannel.hpp"
#include "idlrpc/detail/status_messages.hpp"

namespace idlrpc::detail {
namespace {

// Stream ids are 31-bit, as in HTTP/2; a connection that used them all is
// retired and the channel opens a new one.
constexpr std::uint32_t kLastStreamId = 0x7fffffff;

}  // namespace

ClientConnection::ClientConnection(Socket socket, std::string peer, ConnectionSettings local,
                                   ConnectionPolicy policy, std::weak_ptr<Subchannel> owner,
                                   std::shared_ptr<ClientKeepalive> keepalive)
    : Connection(std::move(socket), std::move(peer), local, std::move(policy)),
      owner_(std::move(owner)),
      keepalive_(std::move(keepalive)) {}

void ClientConnection::on_backlog_cleared() { resume_writes(streams_); }

void ClientConnection::on_ready() {
  ready_ = true;
  if (auto owner = owner_.lock()) {
    owner->on_connection_ready(*this);
  } else {
    close("");
  }
}

void ClientConnection::open(std::shared_ptr<ClientCall> call) {
  if (!is_open()) {
    call->refused(status_text::connection_closed(peer()));
    return;
  }
  if (streams_.size() >= peer_settings().max_concurrent_streams) {
    waiting_.push_back(std::move(call));
    return;
  }
  const std::uint32_t id = next_id_++;
  if (call->begin(*this, id)) streams_.emplace(id, std::move(call));
  if (next_id_ > kLastStreamId && !going_away_) {
    going_away_ = true;
    if (auto owner = owner_.lock()) owner->on_connection_retired(*this);
  }
}

void ClientConnection::forget(std::uint32_t id) {
  if (streams_.erase(id) == 0) return;
  open_waiting();
  if (going_away_ && streams_.empty() && waiting_.empty()) close_after_flush();
}

void ClientConnection::retire() {
  going_away_ = true;
  if (streams_.empty() && waiting_.empty()) close_after_flush();
}

void ClientConnection::open_waiting() {
  while (!waiting_.empty() && is_open() && streams_.size() < peer_settings().max_concurrent_streams) {
    auto call = std::move(waiting_.front());
    waiting_.pop_front();
    open(std::move(call));
  }
}

void ClientConnection::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (frame.which() == protocol::Frame::GO_AWAY) {
    on_go_away(frame.getGoAway());
    return;
  }
  auto it = streams_.find(frame.getStreamId());
  // A call we forgot (cancelled, timed out) may still receive the
  // server's frames sent before it learned; they are dropped.
  if (it == streams_.end()) return;
  auto call = it->second;  // keeps it alive if it forgets itself
  call->on_frame(frame, raw);
}

void ClientConnection::on_go_away(protocol::GoAway::Reader go_away) {
  going_away_ = true;
  if (std::string_view(go_away.getMessage().cStr(), go_away.getMessage().size()) == status_text::kTooManyPings && keepalive_settings().enabled()) {
    keepalive_->on_too_many_pings(peer(), keepalive_settings().time);
  }
  if (auto owner = owner_.lock()) owner->on_connection_retired(*this);
  // Streams the server never saw, and calls not yet sent, are retried
  // elsewhere (transparently: they cannot have had any effect).
  const std::uint32_t last = go_away.getLastStreamId();
  const std::string why = status_text::server_going_away(peer(), go_away.getMessage().cStr());
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (it->first > last) {
      auto call = std::move(it->second);
      it = streams_.erase(it);
      call->refused(why);
    } else {
      ++it;
    }
  }
  auto waiting = std::move(waiting_);
  for (auto& call : waiting) call->refused(why);
  if (streams_.empty()) close_after_flush();
}

void ClientConnection::on_closed(const std::string& reason) {
  auto streams = std::move(streams_);
  streams_.clear();
  auto waiting = std::move(waiting_);
  const std::string why = status_text::connection_lost(peer(), reason);
  for (auto& [id, call] : streams) call->fail(StatusCode::UNAVAILABLE, why);
  for (auto& call : waiting) call->refused(why);  // never sent
  if (auto owner = owner_.lock()) owner->on_connection_lost(*this, reason);
}

}  // namespace idlrpc::detail
