// A server: listens on addresses and serves registered services.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "idlrpc/service.hpp"

namespace idlrpc {

namespace detail {
class ServerCore;
}

/// Limits and threads of a Server; the defaults are safe for the internet.
struct ServerOptions {
  /// Addresses to listen on: "0.0.0.0:50051", "[::1]:0" (port 0: any free
  /// port; see Server::port()), "unix:/path". More can be added with listen().
  std::vector<std::string> listen;
  /// Threads running connections and coroutine handlers (0: one per core).
  unsigned io_threads = 0;
  /// Threads running blocking handlers (0: 4 per core, at least 8).
  unsigned worker_threads = 0;
  /// Largest message the server accepts or sends (frame bytes).
  std::uint32_t max_message_bytes = 4 * 1024 * 1024;
  /// Calls a single connection may have open at once; more are refused
  /// with RESOURCE_EXHAUSTED.
  std::uint32_t max_concurrent_calls_per_connection = 1024;
  /// Connections beyond this are closed at once (and logged).
  std::uint32_t max_connections = 10000;
  /// Send credit granted to clients per stream (flow control): the most a
  /// stream's unread messages take here.
  std::uint32_t stream_window_bytes = 4 * 1024 * 1024;
  /// A new connection must complete the protocol handshake within this.
  std::chrono::milliseconds handshake_timeout{10000};
  /// A connection with no call open for this long is closed (0: never).
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
};

/// Serves RPCs. Typical use:
///
///     idlrpc::Server server({.listen = {"0.0.0.0:50051"}});
///     server.add_service(my_service);
///     server.start();
///     server.shutdown_on_signals();   // Ctrl-C: graceful shutdown
///     server.wait();
class Server {
 public:
  explicit Server(ServerOptions options = {});
  /// Shuts down (with no grace period) if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Adds a listening address; before start().
  void listen(std::string address);
  /// Registers a service's methods; before start(). The service must
  /// outlive the server. Throws std::invalid_argument on a duplicate method.
  void add_service(Service& service);

  /// Binds every address and starts serving. Throws std::system_error
  /// (with the address in the message) if an address cannot be bound.
  void start();
  /// The bound TCP port of the index-th listen address (useful with port 0).
  std::uint16_t port(std::size_t index = 0) const;

  /// Graceful shutdown: stops accepting, tells clients (GOAWAY), lets calls
  /// in flight finish for up to `grace`, then cancels the rest and closes
  /// every connection. Returns when done. Safe to call more than once and
  /// from any thread except the server's own.
  void shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));
  /// Blocks until shutdown() has completed (from another thread or a signal).
  void wait();
  /// Makes SIGINT and SIGTERM start shutdown(grace). For examples and
  /// programs that own their process.
  void shutdown_on_signals(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  std::shared_ptr<detail::ServerCore> core_;
};

}  // namespace idlrpc
