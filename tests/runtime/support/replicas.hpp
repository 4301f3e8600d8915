// Several TestServers of one service on loopback addresses (127.0.0.x are
// all loopback), for the tests of channels over many servers.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "test_server.hpp"

namespace idlrpc::test {

inline std::string loopback(int n, int port = 0) {
  return "127.0.0." + std::to_string(n) + ":" + std::to_string(port);
}

/// `count` blocking replicas on 127.0.0.1, .2, ... (each on a port of its own).
struct Replicas {
  explicit Replicas(int count = 3, ServerOptions options = {}, WithHealth health = WithHealth::kNo) {
    for (int i = 1; i <= count; ++i) {
      servers.push_back(std::make_unique<TestServer>(Style::kBlocking, options, loopback(i), health));
    }
  }
  std::string ipv4_target() const {
    std::string target = "ipv4:";
    for (const auto& s : servers) target += (target.size() > 5 ? "," : "") + s->address();
    return target;
  }
  /// Calls replica `i`'s handlers started.
  int calls(std::size_t i) const { return servers[i]->observed().started.load(); }
  /// Makes `count` Echo calls with `client`; returns the calls each replica got.
  std::vector<int> spread(Tester::Client& client, int count) const {
    std::vector<int> got;
    for (std::size_t i = 0; i < servers.size(); ++i) got.push_back(calls(i));
    for (int i = 0; i < count; ++i) client.Echo(TestRequest{});
    for (std::size_t i = 0; i < servers.size(); ++i) got[i] = calls(i) - got[i];
    return got;
  }
  std::vector<std::unique_ptr<TestServer>> servers;
};

/// A channel that backs off briefly, so tests of failures run fast.
inline ChannelOptions fast(LbPolicy policy) {
  using namespace std::chrono_literals;
  ChannelOptions options;
  options.lb_policy = policy;
  options.initial_backoff = 20ms;
  options.max_backoff = 200ms;
  return options;
}

}  // namespace idlrpc::test
