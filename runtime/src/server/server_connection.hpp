// The server end of a connection: accepts calls (HEADERS), routes frames
// to them, enforces the per-connection limits and drains on shutdown.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <boost/asio/steady_timer.hpp>

#include "idlrpc/detail/status_messages.hpp"
#include "server/server_call.hpp"
#include "transport/connection.hpp"

namespace idlrpc::detail {

class ServerCore;

/// What a listener's connections may be: idlrpc calls, the HTTP endpoints
/// (server/http_endpoints.hpp) or both, told apart by the first bytes.
enum class ListenerRole { kCallsAndHttp, kCalls, kHttpOnly };

class ServerConnection final : public Connection {
 public:
  ServerConnection(Socket socket, std::string peer, ConnectionSettings local, ConnectionPolicy policy,
                   ServerCore& core);

  ServerCore& core() noexcept { return core_; }

  /// Arms the handshake timer, looks at the client's first byte (TLS or
  /// not, and whether that is allowed here), then start()s.
  void begin(ListenerRole role);
  /// Graceful: GOAWAY, refuse new calls, close once the last call ends.
  void drain(std::string_view why = status_text::kShuttingDown);
  /// Cancels every call (telling clients UNAVAILABLE) and closes.
  void abort(const std::string& reason);
  /// The call ended; forget it. `handler_running`: its handler has not
  /// returned yet, and its slot stays taken until handler_returned().
  void call_finished(std::uint32_t id, bool handler_running);
  /// The handler of a call that had already ended returned.
  void handler_returned();

 private:
  void on_ready() override;
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_closed(const std::string& reason) override;
  bool accept_ping() override;
  void on_backlog_cleared() override;
  std::string describe() const override { return "connection from " + peer(); }
  bool quiet_to_lose() const override { return calls_.empty(); }

  void on_first_byte(const boost::system::error_code& error);
  /// Answers one HTTP request (server/http_endpoints.hpp), then closes.
  void serve_http();
  void read_http();
  /// Refuses the connection before the protocol starts: `line` to the
  /// log, `reason` to the client as the GOAWAY that replaces our HELLO.
  void refuse_plaintext(const std::string& line, const std::string& reason);
  /// Reads and drops what the client sent so far, so that closing sends a
  /// FIN and not a reset that could destroy our last frame in flight.
  void discard_input();
  void open_call(std::uint32_t id, protocol::Headers::Reader headers);
  /// Why a call cannot be opened now.
  struct Refusal {
    StatusCode code;
    std::string message;
    /// Refused for what this server is going through (shutting down, at a
    /// limit), not for what the call is: another server may take it.
    bool elsewhere;
  };
  std::optional<Refusal> refusal(protocol::Headers::Reader headers) const;
  void arm_timer(std::chrono::steady_clock::time_point when);
  void on_timer();
  /// ServerOptions::max_connection_age: drain when it comes, then end
  /// what is left after the grace period.
  void arm_age_timer();

  ServerCore& core_;
  ListenerRole role_ = ListenerRole::kCalls;
  // An HTTP request as it arrives, then the response as it is written.
  std::string http_;
  std::unordered_map<std::uint32_t, std::shared_ptr<ServerCall>> calls_;
  // Calls that ended (cancelled, timed out) while their handler still
  // runs: they keep their slot, so a peer that opens and cancels calls in
  // a loop (HTTP/2's Rapid Reset) cannot pile up work.
  std::size_t orphaned_handlers_ = 0;
  std::uint32_t last_stream_id_ = 0;
  // Ping enforcement (ServerOptions::min_ping_interval).
  std::chrono::steady_clock::time_point last_ping_{};
  std::uint64_t messages_sent_at_last_ping_ = 0;
  unsigned ping_strikes_ = 0;
  bool ready_ = false;
  bool draining_ = false;
  boost::asio::steady_timer timer_;  // handshake timeout, then idle timeout
  boost::asio::steady_timer age_timer_;  // max connection age, then its grace
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace idlrpc::detail
