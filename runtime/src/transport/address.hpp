// Parsing the address strings users write ("host:port", "[::1]:port",
// "unix:/path") and naming socket endpoints in log lines and ServerContext.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/generic/stream_protocol.hpp>

namespace idlrpc::detail {

struct Address {
  bool is_unix = false;
  std::string host;  // TCP: name or literal address, without brackets
  std::string port;  // TCP: decimal port
  std::string path;  // Unix: socket path
};

/// Throws std::invalid_argument naming `text` and what is wrong with it.
Address parse_address(std::string_view text);

/// True for "localhost" and names under ".localhost" (RFC 6761), in any case.
bool is_localhost(std::string_view host) noexcept;

/// "127.0.0.1:5000", "[::1]:5000", "unix:/path" (or "unix:" when unnamed).
std::string to_string(const boost::asio::generic::stream_protocol::endpoint& endpoint);

}  // namespace idlrpc::detail
