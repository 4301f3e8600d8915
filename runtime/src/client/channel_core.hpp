// What a Channel handle points to: the target, the connection to it as a
// state machine (idle, connecting, ready, backing off), and the calls
// waiting for a connection.
//
// Threads: the constructor and the accessors run anywhere; everything else
// on the channel's I/O thread.
// Ownership: Channel handles and the calls in flight hold the core; the
// core holds its connection, which refers back to it weakly.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "client/client_call.hpp"
#include "client/client_connection.hpp"
#include "idlrpc/channel.hpp"
#include "transport/address.hpp"

namespace boost::asio::ssl {
class context;
}

namespace idlrpc::detail {

class ChannelCore : public std::enable_shared_from_this<ChannelCore> {
 public:
  /// A malformed target does not throw: every call fails with what is
  /// wrong with it (the mistake shows where the call is made and handled).
  ChannelCore(std::string target, const ChannelOptions& options);
  ~ChannelCore();

  const std::string& target() const noexcept { return target_; }
  const ChannelOptions& options() const noexcept { return options_; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }

  /// Opens `call` on the connection, connecting first if needed. While
  /// backing off after a failed connect, fails it with UNAVAILABLE at once.
  void submit(std::shared_ptr<ClientCall> call);

  void on_connection_ready(ClientConnection& connection);
  /// The connection accepts no new calls (GOAWAY, ids used up).
  void on_connection_retired(ClientConnection& connection);
  void on_connection_lost(ClientConnection& connection, const std::string& reason);

 private:
  // No connection: the next call connects.
  struct Idle {};
  // Resolving, connecting or in the handshake (`connection` set once the
  // socket is up); calls wait.
  struct Connecting {
    std::uint64_t attempt;  // tells this attempt's completions from a stale one's
    std::unique_ptr<boost::asio::steady_timer> timeout;
    std::shared_ptr<Socket> socket;
    std::shared_ptr<ClientConnection> connection;
    std::vector<std::shared_ptr<ClientCall>> waiting;
  };
  // Calls open on the connection at once.
  struct Ready {
    std::shared_ptr<ClientConnection> connection;
  };
  // The last attempt failed: calls fail fast until `retry_after`.
  struct BackingOff {
    std::chrono::steady_clock::time_point retry_after;
    std::string failure;
  };
  using State = std::variant<Idle, Connecting, Ready, BackingOff>;

  void connect(std::shared_ptr<ClientCall> first);
  void on_resolved(std::uint64_t attempt, std::string error, std::vector<Endpoint> endpoints);
  void on_connected(std::uint64_t attempt, std::shared_ptr<Socket> socket, const boost::system::error_code& error);
  void connect_failed(const std::string& reason);
  /// The Connecting state of `attempt`, or null if that attempt is stale.
  Connecting* attempt_in_progress(std::uint64_t attempt) noexcept;

  std::string target_;
  ChannelOptions options_;  // options.tls set by a "tls://" target too
  std::variant<Address, std::string> address_;  // the parsed target, or why it (or its TLS) is unusable
  std::shared_ptr<boost::asio::ssl::context> tls_context_;  // null: plaintext
  std::string tls_server_name_;
  boost::asio::any_io_executor executor_;
  State state_;
  std::uint64_t attempts_ = 0;              // ever made
  std::chrono::milliseconds backoff_{0};    // the last backoff; reset by a success
};

/// The runtime's way to a Channel's core (Channel keeps it private: it is
/// not part of the public API).
struct ChannelAccess {
  static const std::shared_ptr<ChannelCore>& core(const Channel& channel) noexcept { return channel.core_; }
};

}  // namespace idlrpc::detail
