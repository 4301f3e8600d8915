// A server: listens on addresses and serves registered services.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/service_base.hpp"
#include "idlrpc/tls.hpp"

namespace idlrpc {

class ServerInterceptor;
class Metrics;
class Health;

namespace detail {
class ServerCore;
}

/// Where a server answers HTTP GET /healthz (alive), /readyz (serving;
/// ?service=S for one service) and /metrics (with ServerOptions::metrics),
/// for Kubernetes probes, load balancers and Prometheus.
struct HttpEndpointOptions {
  /// Also on the listen addresses: a connection whose first bytes are
  /// "GET " or "HEAD" is HTTP. On a TLS listener, only for clients that may
  /// use plaintext (ServerTlsOptions::plaintext).
  bool on_listen_addresses = true;
  /// Addresses that serve only these endpoints ("0.0.0.0:9090"), e.g. a
  /// plaintext probe port beside a TLS one.
  std::vector<std::string> listen{};
};

/// Limits and threads of a Server; the defaults are safe for the internet.
struct ServerOptions {
  /// Addresses to listen on: "0.0.0.0:50051", "[::1]:0" (port 0: any free
  /// port; see Server::port()), "unix:/path". More can be added with listen().
  std::vector<std::string> listen{};
  /// Threads running connections and coroutine handlers (0: one per core).
  unsigned io_threads = 0;
  /// Threads for blocking unary handlers (0: 4 per core, at least 8). While
  /// handlers return quickly only as many run at once as the cores the I/O
  /// threads leave (at least one), taking the queued calls back to back;
  /// when none of them has taken a call for 2 ms (they are blocked: I/O, a
  /// lock, a call to another server), another thread starts, up to this
  /// many. Blocking streaming handlers get threads of their own (see
  /// max_blocking_stream_handlers).
  unsigned worker_threads = 0;
  /// How long an I/O thread or a blocking handler's worker that has run
  /// out of work keeps looking for more before it sleeps (0: it sleeps at
  /// once). Waking a sleeping thread takes tens of microseconds, on
  /// virtual machines often more than a small call's whole work, so a call
  /// that arrives within this time is served sooner: on the benchmark's
  /// 2-core machine a round trip took 30 µs instead of 160 µs. The cost is
  /// CPU: a polling thread keeps a core busy (yielding it to any other
  /// runnable thread). A thread whose polls find nothing polls before ever
  /// fewer of its sleeps (at most one in 64), so an idle or lightly loaded
  /// server does not burn CPU (docs/operations.md, "Polling before sleep").
  std::chrono::microseconds poll_before_sleep{50};
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

  // What one peer may cost. docs/protocol.md (section "Limits") states the
  // bound these give; every one has a test with a peer that breaks it.

  /// Send credit granted to a client for all its streams together
  /// (connection-level flow control): with the stream window, what bounds
  /// the unread input one connection holds. At least max_message_bytes.
  std::uint32_t connection_window_bytes = 16 * 1024 * 1024;
  /// Input held for all connections together (unread stream messages,
  /// requests whose handler has not finished). Past it, new calls are
  /// refused with RESOURCE_EXHAUSTED until memory is released.
  std::uint64_t max_buffered_input_bytes = 1024ull * 1024 * 1024;
  /// Outgoing bytes a connection may queue for a peer that reads slowly.
  /// Past it the server stops reading from that peer and its stream
  /// writers wait, so a peer that does not read cannot make it produce.
  std::uint32_t max_write_queue_bytes = 4 * 1024 * 1024;
  /// Frames other than messages (replies to pings, status trailers, ...)
  /// queued for a peer that does not read; past it the connection is
  /// closed (and logged): a GOAWAY could not reach a peer that reads nothing.
  std::uint32_t max_queued_control_frames = 2048;
  /// A frame the peer started sending must make progress: no byte of it
  /// for this long closes the connection.
  std::chrono::milliseconds frame_progress_timeout{10000};
  /// A client's pings closer together than this are strikes (when no call
  /// is open: two hours); more than max_ping_strikes of them close the
  /// connection with GOAWAY "too_many_pings". Sending a response message
  /// forgives the strikes (gRPC's keepalive enforcement, gRFC A8). 0: any
  /// rate (max_queued_control_frames still bounds a peer that does not read).
  std::chrono::milliseconds min_ping_interval{std::chrono::minutes(5)};
  unsigned max_ping_strikes = 2;
  /// Keepalive (docs/operations.md): a client from which nothing has been
  /// read for keepalive_time is pinged, with or without calls open; if
  /// nothing arrives within keepalive_timeout after the ping, the
  /// connection closes and its calls' handlers see their context
  /// cancelled, as when the client disconnects. This finds clients that
  /// vanished without a FIN (a dead NAT, a powered-off host) and would hold
  /// their calls forever. The timeout is also the socket's
  /// TCP_USER_TIMEOUT. keepalive_time 0: off (and no TCP_USER_TIMEOUT).
  std::chrono::milliseconds keepalive_time{std::chrono::hours(2)};
  std::chrono::milliseconds keepalive_timeout{20000};
  /// A call's metadata (keys + values + 32 bytes an entry, as HTTP/2
  /// counts it): above the hard limit the call is refused with
  /// RESOURCE_EXHAUSTED; between soft and hard, refused with a probability
  /// that grows linearly, so clients notice before they hit the wall.
  std::uint32_t metadata_soft_limit_bytes = 8 * 1024;
  std::uint32_t metadata_hard_limit_bytes = 16 * 1024;
  /// Blocking streaming handlers run one thread each, outside the worker
  /// pool, so streams that wait on their peers never delay unary calls.
  /// Past this many at once, new blocking streaming calls are refused with
  /// RESOURCE_EXHAUSTED.
  unsigned max_blocking_stream_handlers = 256;
  /// Whether the text of an unexpected exception (not an idlrpc::Error)
  /// from a handler is sent to the client. Off: the client gets UNKNOWN
  /// with a generic message and the text goes to the server's log, since
  /// it may reveal internals. For development.
  bool send_exception_messages = false;

  /// TLS on the TCP listeners (docs/security.md); none: plaintext only.
  std::optional<ServerTlsOptions> tls{};
  /// Run around every call, in this order (idlrpc/interceptor.hpp): before
  /// the handler, and at the call's end in reverse order.
  std::vector<std::shared_ptr<ServerInterceptor>> interceptors{};

  // --- Connection age (docs/scaling.md) ---

  /// A connection older than this (less up to 10 %, at random, so
  /// connections made together do not end together) is drained: GOAWAY,
  /// its calls finish, the client connects again, which behind an L4 load
  /// balancer spreads long-lived clients over new replicas. 0: no limit.
  std::chrono::milliseconds max_connection_age{0};
  /// Calls still open this long after that GOAWAY end with UNAVAILABLE
  /// and the connection closes. 0: they may take as long as they need.
  std::chrono::milliseconds max_connection_age_grace{0};

  // --- Operations: metrics, HTTP endpoints, draining (docs/operations.md) ---

  /// Records every call (count, duration, sizes per method and status) and
  /// serves them on /metrics. Its interceptor runs first in the chain.
  std::shared_ptr<Metrics> metrics{};
  /// /healthz, /readyz and /metrics over HTTP/1.1.
  HttpEndpointOptions http{};
  /// shutdown() first sets every health status to NOT_SERVING, then goes on
  /// serving for this long before it stops accepting and sends GOAWAY, so
  /// load balancers that poll /readyz or Watch stop sending calls first.
  std::chrono::milliseconds drain_delay{0};
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
  /// Serves the health service idlrpc.health.v1.Health (Check, Watch; see
  /// idlrpc/health.hpp) and makes /readyz follow it; before start(). Once
  /// started, "" and every service are SERVING unless set otherwise. The
  /// handle lives as long as the server; calling again returns it.
  Health& enable_health();

  /// Binds every address and starts serving. Throws std::system_error
  /// (with the address in the message) if an address cannot be bound.
  void start();
  /// The bound TCP port of the index-th listen address (useful with port 0).
  std::uint16_t port(std::size_t index = 0) const;
  /// Loads the TLS certificate and key files again now (say, on SIGHUP)
  /// instead of at the next reload_interval: new connections use them, open
  /// ones keep theirs. Returns false (and logs why) if they cannot be
  /// loaded; the old ones stay. Throws std::logic_error without TLS.
  bool reload_tls();

  /// Graceful shutdown: stops accepting, tells clients (GOAWAY), lets calls
  /// in flight finish for up to `grace`, then cancels the rest and closes
  /// every connection. Returns when done. Safe to call more than once and
  /// from any thread except the server's own.
  void shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));
  /// Blocks until shutdown() has completed (from another thread or a signal).
  void wait();
  /// Makes SIGINT and SIGTERM start shutdown(grace). For examples and
  /// programs that own their process. A second SIGINT or SIGTERM before
  /// the shutdown has completed (during the grace period, typically a
  /// second Ctrl-C) ends the process at once, without destructors, with
  /// exit status 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
  void shutdown_on_signals(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  std::shared_ptr<detail::ServerCore> core_;
};

}  // namespace idlrpc
