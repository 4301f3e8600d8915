// Connection liveness (keepalive), as a state machine without I/O: when
// nothing has been read from the peer for `time` (and the connection wants
// it: calls open, or always), a PING goes out; if no byte at all (its ack
// or anything else) arrives within `timeout` of it, the peer is taken for
// dead. The silence is measured from the last byte read, not from the last
// ping, so a busy connection never pings (gRFC A8).
//
// The Connection owns one, with the timer that wakes it (connection.cpp);
// the client clamps and doubles `time` (client/client_keepalive.hpp).
//
// Threading: the connection's I/O thread only.
#pragma once

#include <chrono>
#include <optional>
#include <variant>

namespace idlrpc::detail {

struct KeepaliveSettings {
  /// Silence after which a PING is sent; 0: keepalive off.
  std::chrono::milliseconds time{0};
  /// How long after the PING a byte must arrive.
  std::chrono::milliseconds timeout{20000};
  /// Ping even with no call open (a server pings regardless).
  bool without_calls = false;

  bool enabled() const noexcept { return time.count() > 0; }
};

class Keepalive {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Keepalive(KeepaliveSettings settings) : settings_(settings) {}
  const KeepaliveSettings& settings() const noexcept { return settings_; }

  /// Nothing to do before `until`.
  struct Sleep {
    Clock::time_point until;
  };
  /// Send a PING now; wake again at `until`.
  struct SendPing {
    Clock::time_point until;
  };
  /// The peer sent nothing within the timeout of our PING.
  struct Dead {};
  using Step = std::variant<Sleep, SendPing, Dead>;

  /// What to do at `now`, given when the last byte was read and whether
  /// calls are open.
  Step on_wake(Clock::time_point now, Clock::time_point last_read, bool calls_open);
  /// Bytes arrived at `now`. While a PING waits for its reply, that is the
  /// reply: the next wake is then `now + time` (returned), not the ping's
  /// timeout, so the next ping goes out after `time` of silence again.
  std::optional<Clock::time_point> on_read(Clock::time_point now);

 private:
  // Waiting for `time` of silence, or for any byte after our PING.
  struct Watching {};
  struct AwaitingReply {
    Clock::time_point sent;
  };

  KeepaliveSettings settings_;
  std::variant<Watching, AwaitingReply> state_;
};

}  // namespace idlrpc::detail
