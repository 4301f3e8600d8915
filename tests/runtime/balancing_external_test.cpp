// Many servers behind real infrastructure (issue 14, docs/scaling.md): a
// DNS server (dnsmasq) whose records change while a dns: channel uses
// them, and an L4 proxy (HAProxy in TCP mode) in front of three replicas,
// where only connections are balanced and max_connection_age makes a
// pick_first client move between replicas. Each test starts its daemon on
// a loopback port and stops it; without the program (scripts/install-deps
// installs both) the test is skipped.
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_server.hpp"

extern char** environ;

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

/// A free port on 127.0.0.1 for `type` (SOCK_DGRAM, SOCK_STREAM), as the
/// kernel picks it; free again when this returns (a race no test here
/// loses in practice: the kernel does not hand it out again at once).
int free_port(int type) {
  const int fd = ::socket(AF_INET, type, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

/// A program the test runs, stopped (SIGTERM, then SIGKILL) when it goes.
class Daemon {
 public:
  explicit Daemon(std::vector<std::string> argv) {
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    if (::posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = -1;
  }
  ~Daemon() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {  // 5 s at most
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(100ms);
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  void signal(int number) const { ::kill(pid_, number); }

 private:
  pid_t pid_ = -1;
};

std::string temp_path(const std::string& name) {
  return "/tmp/idlrpc-test-" + std::to_string(::getpid()) + "-" + name;
}

void write_file(const std::string& path, const std::string& text) {
  const std::string temp = path + ".new";
  std::ofstream(temp) << text;
  std::filesystem::rename(temp, path);
}

// dnsmasq serves replicas.idlrpc.test from a hosts file on 127.0.0.1 at a
// port of its own; the channel asks it directly (dns://127.0.0.1:port/...).
// Three A records (replicas on 127.0.0.1, .2, .3, one port), then the file
// changes to .2, .3, .4 and dnsmasq rereads it (SIGHUP): within its refresh
// interval the channel calls the new replica and stops calling the gone one.
TEST(BalancingDns, FollowsChangingRecordsOfARealDnsServer) {
  if (!std::filesystem::exists("/usr/sbin/dnsmasq")) GTEST_SKIP() << "dnsmasq is not installed (scripts/install-deps)";
  std::vector<std::unique_ptr<TestServer>> replicas;
  replicas.push_back(std::make_unique<TestServer>(Style::kBlocking, ServerOptions{}, "127.0.0.1:0"));
  const std::string port = replicas[0]->address().substr(replicas[0]->address().rfind(':') + 1);
  for (int i = 2; i <= 4; ++i) {
    replicas.push_back(
        std::make_unique<TestServer>(Style::kBlocking, ServerOptions{}, "127.0.0." + std::to_string(i) + ":" + port));
  }
  auto calls = [&](int replica) { return replicas[replica - 1]->observed().started.load(); };

  const std::string hosts = temp_path("dns.hosts");
  write_file(hosts, "127.0.0.1 replicas.idlrpc.test\n127.0.0.2 replicas.idlrpc.test\n127.0.0.3 replicas.idlrpc.test\n");
  const int dns_port = free_port(SOCK_DGRAM);
  Daemon dnsmasq({"/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                  "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + std::to_string(dns_port),
                  "--addn-hosts=" + hosts, "--pid-file=", "--user=root", "--local-ttl=0"});
  ASSERT_TRUE(eventually([&] { return dnsmasq.running(); }, 2s));

  ChannelOptions options;
  options.lb_policy = LbPolicy::round_robin;
  options.dns_refresh_interval = 500ms;
  options.dns_min_interval = 100ms;
  options.initial_backoff = 20ms;
  options.max_backoff = 200ms;
  Tester::Client client(Channel("dns://127.0.0.1:" + std::to_string(dns_port) + "/replicas.idlrpc.test:" + port, options));
  ASSERT_TRUE(eventually([&] {
    if (code_of([&] { client.Echo(TestRequest{}); }) != StatusCode::OK) return false;
    return calls(1) > 0 && calls(2) > 0 && calls(3) > 0;
  })) << "the three A records were not all used";
  EXPECT_EQ(calls(4), 0);

  write_file(hosts, "127.0.0.2 replicas.idlrpc.test\n127.0.0.3 replicas.idlrpc.test\n127.0.0.4 replicas.idlrpc.test\n");
  dnsmasq.signal(SIGHUP);  // rereads its hosts files
  const auto changed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] {
    EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
    return calls(4) > 0;
  }));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - changed);
  std::cout << "the new A record got its first call after " << took.count() << " ms\n";
  EXPECT_LT(took, 500ms + 1500ms);  // the refresh interval, plus the query, a connect and slack for a loaded machine
  const int first = calls(1);
  for (int i = 0; i < 60; ++i) EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
  EXPECT_EQ(calls(1), first) << "the removed record's replica still gets calls";
  std::filesystem::remove(hosts);
}

// HAProxy balances connections, not calls: a pick_first client keeps its
// one connection to whichever replica the proxy chose. With
// max_connection_age on the replicas, the connection is drained every
// 300 ms, the client reconnects, and the proxy's round robin sends it to
// the next replica: calls spread over all three, and none fails.
TEST(BalancingProxy, MaxConnectionAgeSpreadsCallsThroughAnL4Proxy) {
  if (!std::filesystem::exists("/usr/sbin/haproxy")) GTEST_SKIP() << "haproxy is not installed (scripts/install-deps)";
  ServerOptions aged;
  aged.max_connection_age = 300ms;
  aged.max_connection_age_grace = 2s;
  std::vector<std::unique_ptr<TestServer>> replicas;
  for (int i = 1; i <= 3; ++i) {
    replicas.push_back(std::make_unique<TestServer>(Style::kBlocking, aged, "127.0.0." + std::to_string(i) + ":0"));
  }
  const int proxy_port = free_port(SOCK_STREAM);
  const std::string config = temp_path("haproxy.cfg");
  std::string text =
      "global\n  maxconn 100\n"
      "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n"
      "frontend idlrpc\n  bind 127.0.0.1:" + std::to_string(proxy_port) + "\n  default_backend replicas\n"
      "backend replicas\n  balance roundrobin\n";
  for (int i = 0; i < 3; ++i) text += "  server r" + std::to_string(i + 1) + " " + replicas[i]->address() + "\n";
  write_file(config, text);
  Daemon haproxy({"/usr/sbin/haproxy", "-db", "-q", "-f", config});

  ChannelOptions options;  // pick_first: one connection at a time
  options.initial_backoff = 20ms;
  options.max_backoff = 200ms;
  Tester::Client client(Channel("127.0.0.1:" + std::to_string(proxy_port), options));
  ASSERT_TRUE(eventually([&] { return code_of([&] { client.Echo(TestRequest{}); }) == StatusCode::OK; }, 5s))
      << "no call got through the proxy";
  int failed = 0;
  TestRequest request;
  request.delay_ms = 2;
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < until) {
    try {
      client.Echo(request);
    } catch (const RpcError& e) {
      ++failed;
      ADD_FAILURE() << e.what();
    }
  }
  int total = 0;
  for (int i = 0; i < 3; ++i) {
    const int got = replicas[i]->observed().started;
    total += got;
    std::cout << "replica " << i + 1 << ": " << got << " calls\n";
  }
  for (int i = 0; i < 3; ++i) EXPECT_GT(replicas[i]->observed().started, total / 10) << "replica " << i + 1;
  EXPECT_EQ(failed, 0);
  std::filesystem::remove(config);
}

}  // namespace
}  // namespace idlrpc::test
