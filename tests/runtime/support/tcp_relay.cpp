#include "tcp_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace idlrpc::test {
namespace {

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

// Moves what `from` has to `to`; false when either end is gone.
bool forward(int from, int to, std::atomic<std::uint64_t>& counter) {
  char buffer[65536];
  const ssize_t n = ::recv(from, buffer, sizeof buffer, 0);
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    const ssize_t m = ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
    if (m <= 0) return false;
    sent += m;
  }
  counter += static_cast<std::uint64_t>(n);
  return true;
}

}  // namespace

TcpRelay::TcpRelay(std::uint16_t server_port) : server_port_(server_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("TcpRelay: cannot listen on loopback");
  }
  address_ = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  thread_ = std::thread([this] { run(); });
}

TcpRelay::~TcpRelay() {
  stop_ = true;
  thread_.join();
  ::close(listener_);
}

void TcpRelay::run() {
  struct Pair {
    int client;
    int server;
  };
  std::vector<Pair> pairs;
  while (!stop_) {
    // Frozen: only the listener is watched (and stop_, by the timeout).
    const bool frozen = frozen_;
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    if (!frozen) {
      for (const Pair& pair : pairs) {
        fds.push_back({pair.client, POLLIN, 0});
        fds.push_back({pair.server, POLLIN, 0});
      }
    }
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if ((fds[0].revents & POLLIN) != 0) {
      const int client = ::accept(listener_, nullptr, nullptr);
      const int server = client < 0 ? -1 : connect_loopback(server_port_);
      if (server >= 0) {
        pairs.push_back({client, server});
      } else if (client >= 0) {
        ::close(client);
      }
    }
    if (frozen) continue;
    std::vector<Pair> alive;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const Pair pair = pairs[i];
      const short from_client = i * 2 + 1 < fds.size() ? fds[i * 2 + 1].revents : 0;
      const short from_server = i * 2 + 2 < fds.size() ? fds[i * 2 + 2].revents : 0;
      bool open = true;
      if (from_client != 0) open = forward(pair.client, pair.server, to_server_);
      if (open && from_server != 0) open = forward(pair.server, pair.client, to_client_);
      if (open) {
        alive.push_back(pair);
      } else {
        ::close(pair.client);
        ::close(pair.server);
      }
    }
    pairs = std::move(alive);
  }
  for (const Pair& pair : pairs) {
    ::close(pair.client);
    ::close(pair.server);
  }
}

}  // namespace idlrpc::test
