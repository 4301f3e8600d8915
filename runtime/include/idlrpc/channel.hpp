// A client's connections to the servers of one target.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Declared here, not included: a file that only makes blocking calls never
// parses Asio. Code that uses executor() includes Asio anyway. (Asio's own
// definition is this class unless BOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT is
// defined, which idlrpc does not support: it would not compile.)
namespace boost::asio {
class any_io_executor;
}

#include "idlrpc/connectivity_state.hpp"
#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/load_balancing.hpp"
#include "idlrpc/retry_policy.hpp"
#include "idlrpc/tls.hpp"

namespace idlrpc {

class ClientInterceptor;

namespace detail {
class ChannelCore;
struct ChannelAccess;  // how the runtime reaches a Channel's core
}

/// Limits and timings of a Channel; the defaults suit most uses.
struct ChannelOptions {
  /// Largest message this client sends or accepts (frame bytes).
  std::uint32_t max_message_bytes = 4 * 1024 * 1024;
  /// Send credit granted to the server per stream (flow control): the
  /// most a stream's unread messages take here. Several messages of the
  /// largest size in flight keep large streams moving.
  std::uint32_t stream_window_bytes = 4 * 1024 * 1024;
  /// Send credit granted to the server for all streams together
  /// (connection-level flow control): what bounds the unread input of one
  /// connection here. At least max_message_bytes.
  std::uint32_t connection_window_bytes = 16 * 1024 * 1024;
  /// Response metadata (initial or trailing; keys + values + 32 bytes an
  /// entry) past which a call fails with RESOURCE_EXHAUSTED.
  std::uint32_t metadata_hard_limit_bytes = 16 * 1024;
  /// Outgoing bytes queued for the server past which stream writes wait
  /// until the socket drains (backpressure to the application).
  std::uint32_t max_write_queue_bytes = 4 * 1024 * 1024;
  /// TCP connect plus the protocol handshake must finish within this.
  std::chrono::milliseconds connect_timeout{5000};
  /// After a failed connect, calls fail fast with UNAVAILABLE for this
  /// long (those with CallOptions::wait_for_ready wait); each further
  /// failure doubles it, up to max_backoff.
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5000};

  // --- Keepalive (docs/operations.md, "Keepalive") ---

  /// Ping the server when nothing has been read from a connection for this
  /// long while calls are open on it, so a server or network that died
  /// silently (a NAT or firewall that dropped the connection) is noticed:
  /// if nothing arrives within keepalive_timeout after the ping, the
  /// connection closes and its calls fail with UNAVAILABLE. 0: off. Less
  /// than 10 s counts as 10 s. A server that allows pings less often
  /// (ServerOptions::min_ping_interval, 5 min by default) answers with
  /// GOAWAY "too_many_pings"; the channel then doubles this for its new
  /// connections and logs a warning.
  std::chrono::milliseconds keepalive_time{0};
  /// How long after a ping a byte from the server must arrive; also the
  /// socket's TCP_USER_TIMEOUT while keepalive is on.
  std::chrono::milliseconds keepalive_timeout{20000};
  /// Ping even while no call is open (servers allow that only every 2 h
  /// by default).
  bool keepalive_without_calls = false;

  /// TLS to the server (docs/security.md); none: plaintext, unless the
  /// target is "tls://host:port", which means ChannelTlsOptions{}.
  std::optional<ChannelTlsOptions> tls{};
  /// Run around every call of this channel, in this order
  /// (idlrpc/interceptor.hpp).
  std::vector<std::shared_ptr<ClientInterceptor>> interceptors{};

  // --- Many servers: resolution, balancing, retries (docs/scaling.md) ---

  /// How calls are spread over the addresses the target resolves to.
  LbPolicy lb_policy = LbPolicy::pick_first;
  /// Health-aware balancing: each connection watches the health of this
  /// service on its server (the Watch of idlrpc.health.v1.Health; "" means
  /// the whole server), and takes new calls only while the server reports
  /// SERVING. A server that reports anything else keeps its connection and
  /// the calls in flight, and gets new calls again once it reports
  /// SERVING; one without the health service (UNIMPLEMENTED) counts as
  /// serving. Unset: no health checks.
  std::optional<std::string> health_check_service{};
  /// "dns:" targets are looked up again this often, and also at once (but
  /// at most once per dns_min_interval) when a connection is lost or a
  /// server says it is going away.
  std::chrono::milliseconds dns_refresh_interval{30000};
  std::chrono::milliseconds dns_min_interval{5000};
  /// "file:" targets: how often the file is checked for a change.
  std::chrono::milliseconds file_reload_interval{1000};
  /// Retries of unary calls (see RetryPolicy): the policy of a method, by
  /// its path ("/package.Service/Method"); `idempotent_retry_policy` for
  /// the methods the IDL marks idempotent; `retry_policy` for the rest;
  /// CallOptions::retry_policy overrides them all for one call.
  std::map<std::string, RetryPolicy, std::less<>> method_retry_policies{};
  /// For the methods the IDL marks `option idempotency_level = IDEMPOTENT;`
  /// (or NO_SIDE_EFFECTS) and method_retry_policies does not list.
  std::optional<RetryPolicy> idempotent_retry_policy{};
  std::optional<RetryPolicy> retry_policy{};
  RetryBudget retry_budget{};
  /// Calls refused before any byte reached a server (a GOAWAY for a stream
  /// the server never started, a connection lost before the call went
  /// out) are retried on another connection up to this many times,
  /// whatever the retry policy: they cannot have had any effect.
  std::uint32_t max_transparent_retries = 3;
};

/// A cheap, copyable handle to the servers of `target`: "host:port",
/// "[::1]:port", "unix:/path", "dns:///name:port", "ipv4:a:p,b:p",
/// "ipv6:[a]:p,[b]:p", "file:///path" or a scheme of register_resolver()
/// (idlrpc/resolver.hpp), or any of them after "tls://" for TLS. It
/// connects lazily on the first call, multiplexes concurrent calls from
/// any number of threads over its connections (one per address with
/// round_robin), and reconnects (with exponential backoff after failures)
/// when a connection is lost. state() tells where it is (idle,
/// connecting, ready, transient_failure); state(true) connects without a
/// call. Copies share the connections; they close
/// when the last copy and the last call using them are gone. A
/// malformed target ("localhost", no port) does not throw here: each call
/// fails with UNAVAILABLE and a message that says what is wrong.
class Channel {
 public:
  explicit Channel(std::string target, ChannelOptions options = {});

  const std::string& target() const noexcept;

  /// The I/O executor this channel's calls complete on by default
  /// (include <boost/asio/any_io_executor.hpp> to use it).
  boost::asio::any_io_executor executor() const;

  /// The channel's connectivity state now (see ConnectivityState); any
  /// thread. `try_to_connect`: an idle channel starts connecting (resolves
  /// its target, connects as its first call would) without making a call.
  ConnectivityState state(bool try_to_connect = false) const;

  /// Blocks until the state is other than `last_seen` (true; at once if it
  /// already is) or `deadline` passes (false). Throws std::logic_error on
  /// an idlrpc I/O thread; there use async_wait_for_state_change
  /// (idlrpc/channel_watch.hpp). Typical loop:
  ///   for (auto s = channel.state(true); s != ConnectivityState::ready; s = channel.state(true))
  ///     if (!channel.wait_for_state_change(s, deadline)) break;
  bool wait_for_state_change(ConnectivityState last_seen, std::chrono::steady_clock::time_point deadline) const;

 private:
  friend struct detail::ChannelAccess;
  std::shared_ptr<detail::ChannelCore> core_;
};

/// How long the client I/O thread (one per process, shared by every
/// Channel) keeps looking for work before it sleeps once it has none, and
/// how long a blocking call or blocking stream read or write (a client's,
/// or a blocking streaming handler's) watches for its completion before it
/// sleeps; 0: they sleep at once. The default, 50 µs, serves a reply that
/// arrives within that time without waking a sleeping thread, at the cost
/// of the CPU spent polling; a thread whose polls keep finding nothing
/// polls before ever fewer of its sleeps (ServerOptions::poll_before_sleep
/// has the details and docs/operations.md the measurements). Takes effect
/// before each thread's next sleep; any thread may call it.
void set_client_poll_before_sleep(std::chrono::microseconds time);

}  // namespace idlrpc
