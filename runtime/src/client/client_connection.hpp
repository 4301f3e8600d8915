// The client end of a connection: opens calls as streams and routes the
// server's frames to them.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>

#include "client/client_call.hpp"
#include "client/client_keepalive.hpp"
#include "transport/connection.hpp"

namespace idlrpc::detail {

class Subchannel;

class ClientConnection final : public Connection {
 public:
  ClientConnection(Socket socket, std::string peer, ConnectionSettings local, ConnectionPolicy policy,
                   std::weak_ptr<Subchannel> owner, std::shared_ptr<ClientKeepalive> keepalive);

  /// Ready: handshake done, not going away; new calls may be opened.
  bool accepting_calls() const noexcept { return is_open() && ready_ && !going_away_; }
  /// Opens `call` now, or when the server's concurrency limit allows.
  void open(std::shared_ptr<ClientCall> call);
  /// The call ended on our side; its id is no longer routed.
  void forget(std::uint32_t id);
  /// No new calls (its address left the resolution): the calls open on it
  /// finish, then it closes.
  void retire();

 private:
  void on_ready() override;
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_closed(const std::string& reason) override;
  void on_backlog_cleared() override;
  std::string describe() const override { return "connection to " + peer(); }
  bool quiet_to_lose() const override { return streams_.empty(); }
  bool has_open_calls() const override { return !streams_.empty() || !waiting_.empty(); }
  // Until ready, the channel fails the waiting calls with the reason.
  bool failure_reaches_caller() const override { return !ready_; }

  void on_go_away(protocol::GoAway::Reader go_away);
  void open_waiting();

  std::weak_ptr<Subchannel> owner_;
  std::shared_ptr<ClientKeepalive> keepalive_;  // the channel's, doubled on too_many_pings
  std::unordered_map<std::uint32_t, std::shared_ptr<ClientCall>> streams_;
  std::deque<std::shared_ptr<ClientCall>> waiting_;  // over the server's stream limit
  std::uint32_t next_id_ = 1;
  bool ready_ = false;
  bool going_away_ = false;
};

}  // namespace idlrpc::detail
