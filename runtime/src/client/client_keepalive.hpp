// A channel's client keepalive (ChannelOptions::keepalive_*), shared by
// its subchannels: the settings each new connection gets, with keepalive_time
// raised to the 10 s floor, and doubled for the channel's later connections
// when a server answers our pings with GOAWAY "too_many_pings" (gRFC A8),
// with one warning line that says what to change.
//
// Threading: the channel's I/O thread (its connections' thread) only.
#pragma once

#include <chrono>
#include <string_view>

#include "idlrpc/channel.hpp"
#include "transport/keepalive.hpp"

namespace idlrpc::detail {

class ClientKeepalive {
 public:
  explicit ClientKeepalive(const ChannelOptions& options);

  /// For a new connection (time 0: keepalive off).
  const KeepaliveSettings& settings() const noexcept { return settings_; }
  /// The server at `peer` closed a connection that pinged every `used`
  /// with "too_many_pings": new connections ping half as often (once per
  /// `used`: connections that were told the same thing double it once).
  void on_too_many_pings(std::string_view peer, std::chrono::milliseconds used);

 private:
  KeepaliveSettings settings_;
};

}  // namespace idlrpc::detail
