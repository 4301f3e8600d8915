// One address of a channel and the connection to it, as a state machine:
// idle, connecting, ready, or in transient failure (backing off after a
// failed connect). The channel (channel_core.hpp) keeps one per resolved
// address and picks among the ready ones; a subchannel knows nothing of
// calls waiting for a connection or of the other addresses.
//
// Threads: everything on the channel's I/O thread.
// Ownership: the channel holds its subchannels; a subchannel holds its
// connection, which refers back to it weakly. A subchannel the resolver
// dropped is retired: its connection finishes the calls it has and closes.
//
// With ChannelOptions::health_check_service set, a ready connection also
// watches its server's health (health_watch.hpp): the subchannel takes
// calls only while the server reports SERVING (or has no health service),
// and one that reports anything else keeps its connection but gets no new
// calls until it reports SERVING again.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "client/client_call.hpp"
#include "client/client_connection.hpp"
#include "client/health_watch.hpp"
#include "idlrpc/channel.hpp"
#include "transport/address.hpp"

namespace boost::asio::ssl {
class context;
}

namespace idlrpc::detail {

class ChannelCore;

/// A channel's TLS, shared by its subchannels (none: plaintext).
struct SubchannelTls {
  std::shared_ptr<boost::asio::ssl::context> context;
  /// What the server's certificate must name; empty: the address's host.
  std::string server_name;
  bool verify_hostname = true;
};

class Subchannel : public std::enable_shared_from_this<Subchannel> {
 public:
  /// `name` is the address as the resolver gave it (what identifies the
  /// subchannel across resolutions and appears in status messages).
  Subchannel(std::string name, Address address, const ChannelOptions& options, SubchannelTls tls,
             std::shared_ptr<ClientKeepalive> keepalive, boost::asio::any_io_executor executor,
             std::weak_ptr<ChannelCore> channel);
  ~Subchannel();
  Subchannel(const Subchannel&) = delete;
  Subchannel& operator=(const Subchannel&) = delete;

  const std::string& name() const noexcept { return name_; }

  /// New calls may be opened now.
  bool ready() const noexcept;
  /// Connecting, or connected and waiting for the server's first health
  /// report.
  bool connecting() const noexcept;
  /// Connected, but the server reports it is not serving (or its health
  /// watch failed): no new calls; why in unhealthy_reason().
  bool unhealthy() const noexcept;
  const std::string& unhealthy_reason() const;
  /// Nothing happening: connect() would start an attempt. A ready
  /// connection that closed under us, before telling us, counts as idle
  /// too (connect() then replaces it).
  bool idle() const noexcept;
  /// Backing off after a failed connect: why, and until when.
  bool failed() const noexcept { return std::holds_alternative<TransientFailure>(state_); }
  const std::string& failure() const;
  std::chrono::steady_clock::time_point retry_after() const;

  /// Idle: starts connecting. Otherwise nothing.
  void connect();
  /// Ready: opens `call` on the connection.
  void open(std::shared_ptr<ClientCall> call);
  /// The resolver dropped this address: no new calls; the connection
  /// finishes the calls it has, then closes.
  void retire();

  // From the connection.
  void on_connection_ready(ClientConnection& connection);
  /// The connection accepts no new calls (GOAWAY, ids used up).
  void on_connection_retired(ClientConnection& connection);
  void on_connection_lost(ClientConnection& connection, const std::string& reason);

 private:
  struct Idle {};
  // Resolving the name, connecting, or in the handshake (`connection` set
  // once the socket is up).
  struct Connecting {
    std::uint64_t attempt;  // tells this attempt's completions from a stale one's
    std::unique_ptr<boost::asio::steady_timer> timeout;
    std::shared_ptr<Socket> socket;
    std::shared_ptr<ClientConnection> connection;
  };
  // What the server says of its health (health_watch.hpp).
  enum class Health {
    kServing,     // SERVING, or not watched (off, or no health service there)
    kChecking,    // watching; no report yet
    kNotServing,  // any other status, or the watch ended: retried after a backoff
  };
  struct Ready {
    std::shared_ptr<ClientConnection> connection;
    Health health = Health::kServing;
    std::string unhealthy_reason{};
    std::unique_ptr<HealthWatch> watch{};                   // while watching
    std::unique_ptr<boost::asio::steady_timer> rewatch{};  // after a watch ended
  };
  // The last attempt failed: no attempt before `retry_after` (the timer
  // then makes the subchannel idle again).
  struct TransientFailure {
    std::chrono::steady_clock::time_point retry_after;
    std::string failure;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  using State = std::variant<Idle, Connecting, Ready, TransientFailure>;

  void on_resolved(std::uint64_t attempt, std::string error, std::vector<Endpoint> endpoints);
  void on_connected(std::uint64_t attempt, std::shared_ptr<Socket> socket, const boost::system::error_code& error);
  void connect_failed(const std::string& reason);
  /// The Connecting state of `attempt`, or null if that attempt is stale.
  Connecting* attempt_in_progress(std::uint64_t attempt) noexcept;
  /// A ready connection that accepts calls: what its server's health is;
  /// otherwise nullopt.
  std::optional<Health> accepting_health() const noexcept;
  /// After a failure that followed `last` (0: none since the last success):
  /// initial_backoff, then doubling up to max_backoff.
  std::chrono::milliseconds next_backoff(std::chrono::milliseconds last) const noexcept;
  /// Ready: starts the health watch of the ready connection.
  void watch_health(Ready& ready);
  void on_health(const ClientConnection* connection, HealthWatch::Event event);
  /// Tells the channel the state changed; `lost` when a working connection
  /// went away (a hint to resolve again).
  void changed(bool lost);

  std::string name_;
  Address address_;
  ChannelOptions options_;
  SubchannelTls tls_;
  std::shared_ptr<ClientKeepalive> keepalive_;  // the channel's
  boost::asio::any_io_executor executor_;
  std::weak_ptr<ChannelCore> channel_;
  State state_;
  std::uint64_t attempts_ = 0;            // ever made
  std::chrono::milliseconds backoff_{0};  // the last backoff; reset by a success
  std::chrono::milliseconds health_backoff_{0};  // before watching again; reset by a report
  bool warned_unimplemented_ = false;
  bool retired_ = false;
};

}  // namespace idlrpc::detail
