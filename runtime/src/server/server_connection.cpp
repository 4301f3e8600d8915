#include "server/server_connection.hpp"

#include <fmt/format.h>

#include "log.hpp"
#include "server/server_core.hpp"

namespace idlrpc::detail {

ServerConnection::ServerConnection(Socket socket, std::string peer, ConnectionSettings local, ServerCore& core)
    : Connection(std::move(socket), std::move(peer), local), core_(core), timer_(executor()) {}

void ServerConnection::begin() {
  start();
  arm_timer(std::chrono::steady_clock::now() + core_.options().handshake_timeout);
}

void ServerConnection::arm_timer(std::chrono::steady_clock::time_point when) {
  timer_.expires_at(when);
  timer_.async_wait([self = std::static_pointer_cast<ServerConnection>(shared_from_this())](
                        const boost::system::error_code& error) {
    if (!error) self->on_timer();
  });
}

void ServerConnection::on_timer() {
  if (!is_open()) return;
  if (!ready_) {
    close(fmt::format("no handshake within {} ms", core_.options().handshake_timeout.count()));
    return;
  }
  const auto idle = core_.options().idle_timeout;
  if (idle.count() == 0) return;
  const auto idle_until = last_activity_ + idle;
  if (calls_.empty() && std::chrono::steady_clock::now() >= idle_until) {
    // GOAWAY first, so a client does not start a call on a closing connection.
    log(LogLevel::kInfo, "{} idle for {} ms: closing", describe(), idle.count());
    drain();
    return;
  }
  arm_timer(std::max(idle_until, std::chrono::steady_clock::now() + idle / 2));
}

void ServerConnection::on_ready() {
  ready_ = true;
  last_activity_ = std::chrono::steady_clock::now();
  if (core_.options().idle_timeout.count() == 0) {
    timer_.cancel();
  } else {
    arm_timer(last_activity_ + core_.options().idle_timeout);
  }
}

void ServerConnection::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  const std::uint32_t id = frame.getStreamId();
  if (frame.which() == protocol::Frame::HEADERS) {
    if (id == 0 || id <= last_stream_id_) {
      throw ProtocolError(fmt::format("HEADERS reuses stream id {} (last opened: {})", id, last_stream_id_));
    }
    last_stream_id_ = id;
    last_activity_ = std::chrono::steady_clock::now();
    open_call(id, frame.getHeaders());
    return;
  }
  if (frame.which() == protocol::Frame::GO_AWAY) {
    close_after_flush();  // the client is leaving
    return;
  }
  auto it = calls_.find(id);
  if (it == calls_.end()) return;  // a call that already ended: late frames are harmless
  auto call = it->second;          // keeps it alive if it finishes itself
  call->on_frame(frame, raw);
}

void ServerConnection::open_call(std::uint32_t id, protocol::Headers::Reader headers) {
  if (draining_) {
    send_trailers(id, StatusCode::UNAVAILABLE, "server is shutting down");
    return;
  }
  const std::string_view path(headers.getMethod().cStr(), headers.getMethod().size());
  const MethodEntry* method = core_.find_method(path);
  if (method == nullptr) {
    send_trailers(id, StatusCode::UNIMPLEMENTED, fmt::format("unknown method \"{}\"", path));
    return;
  }
  if (calls_.size() >= local_settings().max_concurrent_streams) {
    send_trailers(id, StatusCode::RESOURCE_EXHAUSTED,
                  fmt::format("too many concurrent calls on one connection (limit {})",
                              local_settings().max_concurrent_streams));
    return;
  }
  auto call = std::make_shared<ServerCall>(std::static_pointer_cast<ServerConnection>(shared_from_this()), id,
                                           *method, headers);
  calls_.emplace(id, call);
  call->start();
}

void ServerConnection::call_finished(std::uint32_t id) {
  calls_.erase(id);
  last_activity_ = std::chrono::steady_clock::now();
  if (draining_ && calls_.empty()) close_after_flush();
}

void ServerConnection::drain() {
  if (!is_open() || draining_) return;
  draining_ = true;
  send_go_away(last_stream_id_, StatusCode::UNAVAILABLE, "server is shutting down");
  if (calls_.empty()) close_after_flush();
}

void ServerConnection::abort(const std::string& reason) {
  if (!is_open()) return;
  draining_ = true;
  auto calls = calls_;  // cancel() erases from calls_
  for (auto& [id, call] : calls) call->end_call(StatusCode::UNAVAILABLE, reason, true);
  close_after_flush();
}

void ServerConnection::on_closed(const std::string& reason) {
  timer_.cancel();
  auto calls = std::move(calls_);
  calls_.clear();
  for (auto& [id, call] : calls) call->end_call(StatusCode::CANCELLED, reason, false);
  core_.connection_closed(this);
}

}  // namespace idlrpc::detail
