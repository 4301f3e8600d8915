// A TCP relay on loopback for liveness tests: forwards bytes between each
// client that connects to it and the server behind it, counting them, until
// freeze() makes it a black hole: it stops reading from both sides but
// keeps every socket open, as a dead NAT or a peer that lost power looks
// from either end (nothing arrives, nothing is refused).
//
// Threading: one thread of its own runs every connection (poll(2));
// the public functions may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace idlrpc::test {

class TcpRelay {
 public:
  /// Forwards to 127.0.0.1:`server_port`.
  explicit TcpRelay(std::uint16_t server_port);
  /// Closes every connection (both ends see EOF) and stops.
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  /// "127.0.0.1:port": what a Channel connects to.
  const std::string& address() const { return address_; }
  /// Bytes forwarded so far, from clients to the server and back.
  std::uint64_t bytes_to_server() const { return to_server_.load(); }
  std::uint64_t bytes_to_client() const { return to_client_.load(); }
  /// From now on nothing is read or forwarded in either direction.
  void freeze() { frozen_ = true; }

 private:
  void run();

  std::uint16_t server_port_;
  int listener_ = -1;
  std::string address_;
  std::atomic<bool> frozen_{false};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> to_server_{0};
  std::atomic<std::uint64_t> to_client_{0};
  std::thread thread_;
};

}  // namespace idlrpc::test
