// A client's connection to one server address.
#pragma once

#include <chrono>
#include <cstdint>
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
  /// long; each further failure doubles it, up to max_backoff.
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5000};

  /// TLS to the server (docs/security.md); none: plaintext, unless the
  /// target is "tls://host:port", which means ChannelTlsOptions{}.
  std::optional<ChannelTlsOptions> tls{};
  /// Run around every call of this channel, in this order
  /// (idlrpc/interceptor.hpp).
  std::vector<std::shared_ptr<ClientInterceptor>> interceptors{};
};

/// A cheap, copyable handle to a connection to `target`: "host:port",
/// "[::1]:port", "unix:/path", or any of them after "tls://" for TLS. It connects lazily on the first call,
/// multiplexes concurrent calls from any number of threads over one
/// connection, and reconnects (with exponential backoff after failures)
/// when the connection is lost. Copies share the connection; the connection
/// closes when the last copy and the last call using it are gone. A
/// malformed target ("localhost", no port) does not throw here: each call
/// fails with UNAVAILABLE and a message that says what is wrong.
class Channel {
 public:
  explicit Channel(std::string target, ChannelOptions options = {});

  const std::string& target() const noexcept;

  /// The I/O executor this channel's calls complete on by default
  /// (include <boost/asio/any_io_executor.hpp> to use it).
  boost::asio::any_io_executor executor() const;

 private:
  friend struct detail::ChannelAccess;
  std::shared_ptr<detail::ChannelCore> core_;
};

}  // namespace idlrpc
