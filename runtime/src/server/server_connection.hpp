// The server end of a connection: accepts calls (HEADERS), routes frames
// to them, enforces the per-connection limits and drains on shutdown.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include <boost/asio/steady_timer.hpp>

#include "server/server_call.hpp"
#include "transport/connection.hpp"

namespace idlrpc::detail {

class ServerCore;

class ServerConnection final : public Connection {
 public:
  ServerConnection(Socket socket, std::string peer, ConnectionSettings local, ServerCore& core);

  ServerCore& core() noexcept { return core_; }

  /// start() plus the handshake and idle timers.
  void begin();
  /// Graceful: GOAWAY, refuse new calls, close once the last call ends.
  void drain();
  /// Cancels every call (telling clients UNAVAILABLE) and closes.
  void abort(const std::string& reason);
  /// The call ended; forget it.
  void call_finished(std::uint32_t id);

 private:
  void on_ready() override;
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_closed(const std::string& reason) override;
  std::string describe() const override { return "connection from " + peer(); }
  bool quiet_to_lose() const override { return calls_.empty(); }

  void open_call(std::uint32_t id, protocol::Headers::Reader headers);
  void arm_timer(std::chrono::steady_clock::time_point when);
  void on_timer();

  ServerCore& core_;
  std::unordered_map<std::uint32_t, std::shared_ptr<ServerCall>> calls_;
  std::uint32_t last_stream_id_ = 0;
  bool ready_ = false;
  bool draining_ = false;
  boost::asio::steady_timer timer_;  // handshake timeout, then idle timeout
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace idlrpc::detail
