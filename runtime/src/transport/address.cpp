#include "transport/address.hpp"

#include <fmt/core.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace idlrpc::detail {
namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw std::invalid_argument("invalid address \"" + std::string(text) + "\": " + std::string(why) +
                              " (expected host:port, [ipv6]:port or unix:/path)");
}

}  // namespace

Address parse_address(std::string_view text) {
  Address address;
  if (text.starts_with("unix:")) {
    address.is_unix = true;
    address.path = std::string(text.substr(5));
    if (address.path.empty()) bad(text, "empty socket path");
    if (address.path.size() >= sizeof(sockaddr_un::sun_path)) bad(text, "socket path too long");
    return address;
  }
  std::string_view host;
  std::string_view port;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) bad(text, "missing ']'");
    host = text.substr(1, close - 1);
    if (text.substr(close + 1, 1) != ":") bad(text, "missing ':port' after ']'");
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) bad(text, "missing ':port'");
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) bad(text, "IPv6 addresses need brackets");
    port = text.substr(colon + 1);
  }
  if (host.empty()) bad(text, "empty host");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    bad(text, "port must be a number from 0 to 65535");
  }
  address.host = std::string(host);
  address.port = std::string(port);
  return address;
}

std::string to_string(const boost::asio::generic::stream_protocol::endpoint& endpoint) {
  const sockaddr* sa = endpoint.data();
  char text[INET6_ADDRSTRLEN] = {};
  switch (sa->sa_family) {
    case AF_INET: {
      sockaddr_in in;
      std::memcpy(&in, sa, sizeof in);
      inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
      return fmt::format("{}:{}", text, ntohs(in.sin_port));
    }
    case AF_INET6: {
      sockaddr_in6 in6;
      std::memcpy(&in6, sa, sizeof in6);
      inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
      return fmt::format("[{}]:{}", text, ntohs(in6.sin6_port));
    }
    case AF_UNIX: {
      const std::size_t offset = offsetof(sockaddr_un, sun_path);
      if (endpoint.size() <= offset) return "unix:";
      const char* path = reinterpret_cast<const char*>(sa) + offset;
      return fmt::format("unix:{}", std::string_view(path, strnlen(path, endpoint.size() - offset)));
    }
    default:
      return "(unknown address family)";
  }
}

bool is_localhost(std::string_view host) noexcept {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  auto ends_with = [&](std::string_view suffix) {
    return host.size() >= suffix.size() &&
           std::equal(suffix.begin(), suffix.end(), host.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                      [&](char a, char b) { return a == lower(b); });
  };
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // "localhost." is absolute, same name
  return host.size() == 9 ? ends_with("localhost") : ends_with(".localhost");
}

}  // namespace idlrpc::detail
