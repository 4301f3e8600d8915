// Addresses, in one place: parsing the strings users write ("host:port",
// "[::1]:port", "unix:/path") for a Channel's target and a Server's listen
// address, turning them into socket endpoints (the server binds, the
// client resolves and connects), and naming endpoints in log lines and
// ServerContext::peer().
//
// Threads: listen_endpoint() blocks (it runs in Server::start()); the rest
// never blocks, and resolve_endpoints() completes on the given executor.
#pragma once

#include <chrono>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>

namespace idlrpc::detail {

struct TcpAddress {
  std::string host;  // a name or a literal address, without brackets
  std::uint16_t port = 0;
};
struct UnixAddress {
  std::string path;
};
using Address = std::variant<TcpAddress, UnixAddress>;

using Endpoint = boost::asio::generic::stream_protocol::endpoint;
using Socket = boost::asio::generic::stream_protocol::socket;

/// Throws std::invalid_argument naming `text` and what is wrong with it.
Address parse_address(std::string_view text);

/// True for "localhost" and names under ".localhost" (RFC 6761), in any case.
bool is_localhost(std::string_view host) noexcept;

/// Server: the endpoint to bind `address` to (a passive lookup, blocking).
/// A Unix socket file left by an earlier run is removed. Throws
/// std::system_error when the name does not resolve.
Endpoint listen_endpoint(const Address& address, const boost::asio::any_io_executor& executor);

/// Client: the endpoints to try for `address`, in order, delivered to
/// `done` on `executor`: (an error message, or empty) and the endpoints.
/// "localhost" is answered without a lookup (RFC 6761), IPv4 first.
void resolve_endpoints(const Address& address, const boost::asio::any_io_executor& executor,
                       std::function<void(std::string error, std::vector<Endpoint> endpoints)> done);

/// TCP_NODELAY on a connected TCP socket (idlrpc batches its own writes);
/// nothing on a Unix socket.
void set_no_delay(Socket& socket);
/// TCP_USER_TIMEOUT on a connected TCP socket: data written and not
/// acknowledged for this long fails the connection (RFC 5482), so a write
/// stuck behind a dead network fails like an unanswered ping; nothing on
/// a Unix socket.
void set_user_timeout(Socket& socket, std::chrono::milliseconds timeout);

/// "host:5000", "[::1]:5000", "unix:/path": as a user would write it.
std::string to_string(const Address& address);
/// "127.0.0.1:5000", "[::1]:5000", "unix:/path" (or "unix:" when unnamed).
std::string to_string(const Endpoint& endpoint);
/// The TCP port of `endpoint`; 0 for a Unix socket.
std::uint16_t port_of(const Endpoint& endpoint);

/// Whether bytes to `endpoint` stay on this machine: a Unix socket, or a
/// loopback address (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104). What may
/// carry secrets (call credentials) or plaintext without TLS.
bool is_local(const Endpoint& endpoint);

}  // namespace idlrpc::detail
