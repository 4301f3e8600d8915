#include "transport/address.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <fmt/core.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace idlrpc::detail {
namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw std::invalid_argument("invalid address \"" + std::string(text) + "\": " + std::string(why) +
                              " (expected host:port, [ipv6]:port or unix:/path)");
}

}  // namespace

Address parse_address(std::string_view text) {
  if (text.starts_with("unix:")) {
    UnixAddress address{std::string(text.substr(5))};
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
  return TcpAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

Endpoint listen_endpoint(const Address& address, const boost::asio::any_io_executor& executor) {
  if (const auto* unix_address = std::get_if<UnixAddress>(&address)) {
    // A socket file left by a previous run would make bind fail.
    std::error_code ignored;
    if (std::filesystem::is_socket(unix_address->path, ignored)) std::filesystem::remove(unix_address->path, ignored);
    return boost::asio::local::stream_protocol::endpoint(unix_address->path);
  }
  const auto& tcp = std::get<TcpAddress>(address);
  boost::asio::ip::tcp::resolver resolver(executor);
  boost::system::error_code error;
  auto results =
      resolver.resolve(tcp.host, std::to_string(tcp.port), boost::asio::ip::tcp::resolver::passive, error);
  if (error || results.empty()) {
    throw std::system_error(error, "cannot resolve listen address " + to_string(address));
  }
  return results.begin()->endpoint();
}

void resolve_endpoints(const Address& address, const boost::asio::any_io_executor& executor,
                       std::function<void(std::string error, std::vector<Endpoint> endpoints)> done) {
  if (const auto* unix_address = std::get_if<UnixAddress>(&address)) {
    std::vector<Endpoint> endpoints{boost::asio::local::stream_protocol::endpoint(unix_address->path)};
    boost::asio::post(executor, [done = std::move(done), endpoints = std::move(endpoints)]() mutable {
      done({}, std::move(endpoints));
    });
    return;
  }
  const auto& tcp = std::get<TcpAddress>(address);
  if (is_localhost(tcp.host)) {
    // RFC 6761: "localhost" is always the loopback interface. Answering it
    // here keeps it working on machines without an /etc/hosts entry (bare
    // containers) and saves a resolver round trip. IPv4 first: servers
    // that listen on "0.0.0.0" are the common case.
    std::vector<Endpoint> endpoints{
        boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), tcp.port),
        boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v6::loopback(), tcp.port)};
    boost::asio::post(executor, [done = std::move(done), endpoints = std::move(endpoints)]() mutable {
      done({}, std::move(endpoints));
    });
    return;
  }
  // The resolver runs the lookup on a thread of Asio's own: the I/O thread
  // never blocks on DNS.
  auto resolver = std::make_shared<boost::asio::ip::tcp::resolver>(executor);
  resolver->async_resolve(
      tcp.host, std::to_string(tcp.port),
      [resolver, host = tcp.host, done = std::move(done)](const boost::system::error_code& error,
                                                          boost::asio::ip::tcp::resolver::results_type results) {
        if (error) {
          done(fmt::format("cannot resolve {}: {}", host, error.message()), {});
          return;
        }
        std::vector<Endpoint> endpoints;
        for (const auto& entry : results) endpoints.emplace_back(entry.endpoint());
        done({}, std::move(endpoints));
      });
}

void set_no_delay(Socket& socket) {
  boost::system::error_code ignored;
  if (socket.local_endpoint(ignored).protocol().family() == AF_UNIX) return;
  socket.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
}

void set_user_timeout(Socket& socket, std::chrono::milliseconds timeout) {
  boost::system::error_code ignored;
  if (socket.local_endpoint(ignored).protocol().family() == AF_UNIX) return;
  using UserTimeout = boost::asio::detail::socket_option::integer<IPPROTO_TCP, TCP_USER_TIMEOUT>;
  socket.set_option(UserTimeout(static_cast<int>(std::min<std::int64_t>(timeout.count(), INT_MAX))), ignored);
}

std::string to_string(const Address& address) {
  if (const auto* unix_address = std::get_if<UnixAddress>(&address)) return "unix:" + unix_address->path;
  const auto& tcp = std::get<TcpAddress>(address);
  if (tcp.host.find(':') != std::string::npos) return fmt::format("[{}]:{}", tcp.host, tcp.port);
  return fmt::format("{}:{}", tcp.host, tcp.port);
}

std::uint16_t port_of(const Endpoint& endpoint) {
  const sockaddr* sa = endpoint.data();
  if (sa->sa_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
  if (sa->sa_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
  return 0;
}

bool is_local(const Endpoint& endpoint) {
  const sockaddr* sa = endpoint.data();
  switch (sa->sa_family) {
    case AF_UNIX:
      return true;
    case AF_INET: {
      sockaddr_in in;
      std::memcpy(&in, sa, sizeof in);
      return (ntohl(in.sin_addr.s_addr) >> 24) == 127;
    }
    case AF_INET6: {
      sockaddr_in6 in6;
      std::memcpy(&in6, sa, sizeof in6);
      if (IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr)) return true;
      return IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr) && in6.sin6_addr.s6_addr[12] == 127;
    }
    default:
      return false;
  }
}

std::string to_string(const Endpoint& endpoint) {
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
