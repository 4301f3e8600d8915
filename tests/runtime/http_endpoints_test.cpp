// The HTTP endpoints (/healthz, /readyz, /metrics) fetched with curl from
// the port that serves calls, or from an HTTP-only address; what they answer
// to requests a probe would never send; and that an HTTP client, polite or
// not, costs the calls on the same port nothing.
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <idlrpc/health.hpp>
#include <idlrpc/metrics.hpp>

#include "server/http_endpoints.hpp"
#include "health/health_state.hpp"
#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;
using ::idlrpc::detail::HttpEndpoints;

struct HttpReply {
  int code = 0;  // 0: no HTTP answer (curl failed)
  std::string body;
};

/// GET (or HEAD) with curl, the client Kubernetes' documentation uses.
HttpReply curl(const std::string& url, const std::string& extra = "") {
  const std::string command = "curl -s --max-time 10 " + extra + " -w '\\n%{http_code}' '" + url + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
  const auto newline = out.rfind('\n');
  HttpReply reply;
  reply.code = std::atoi(out.c_str() + newline + 1);
  reply.body = out.substr(0, newline);
  return reply;
}

std::string echo(const std::string& address, const std::string& text) {
  return Tester::Client(Channel(address)).Echo({.text = text}, CallOptions{}.set_timeout(5s)).text;
}

TEST(HttpEndpointsTest, ProbesAndCallsShareThePort) {
  auto metrics = std::make_shared<Metrics>();
  TestServer server(Style::kBlocking, {.metrics = metrics});
  const std::string base = "http://" + server.address();
  EXPECT_EQ(echo(server.address(), "before"), "before");

  const HttpReply alive = curl(base + "/healthz");
  EXPECT_EQ(alive.code, 200);
  EXPECT_EQ(alive.body, "ok\n");
  const HttpReply ready = curl(base + "/readyz");
  EXPECT_EQ(ready.code, 200) << "without health: ready while running";
  EXPECT_EQ(ready.body, "SERVING\n");
  const HttpReply scraped = curl(base + "/metrics");
  EXPECT_EQ(scraped.code, 200);
  EXPECT_NE(scraped.body.find("idlrpc_server_call_started_total{method=\"idlrpc.test.Tester/Echo\"} 1"),
            std::string::npos)
      << scraped.body;
  EXPECT_EQ(curl(base + "/nothing").code, 404);
  EXPECT_EQ(curl(base + "/healthz", "-X POST").code, 405);
  const HttpReply head = curl(base + "/healthz", "-I");
  EXPECT_EQ(head.code, 200);
  EXPECT_NE(head.body.find("Content-Length: 3"), std::string::npos) << "HEAD: the headers of GET, no body";

  EXPECT_EQ(echo(server.address(), "after"), "after");
}

TEST(HttpEndpointsTest, ReadyzFollowsHealthPerService) {
  Observed observed;
  BlockingTester tester(observed);
  Server server({.listen = {"127.0.0.1:0"}});
  server.add_service(tester);
  Health& health = server.enable_health();
  health.set_status("idlrpc.test.Tester", ServingStatus::NOT_SERVING);
  server.start();
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(curl(base + "/readyz").code, 200);
  const HttpReply tester_ready = curl(base + "/readyz?service=idlrpc.test.Tester");
  EXPECT_EQ(tester_ready.code, 503);
  EXPECT_EQ(tester_ready.body, "NOT_SERVING\n");
  health.set_status("idlrpc.test.Tester", ServingStatus::SERVING);
  EXPECT_EQ(curl(base + "/readyz?service=idlrpc%2Etest.Tester").code, 200) << "percent-decoded";
  EXPECT_EQ(curl(base + "/readyz?service=no.Such").code, 404);
  EXPECT_EQ(curl(base + "/metrics").code, 404) << "no ServerOptions::metrics";
  server.shutdown(0ms);
}

TEST(HttpEndpointsTest, ReadyzTurns503WhileTheServerDrains) {
  TestServer server(Style::kCoroutine, {.drain_delay = 2s});
  const std::string base = "http://" + server.address();
  EXPECT_EQ(curl(base + "/readyz").code, 200);
  auto shutdown = std::async(std::launch::async, [&] { server.server().shutdown(1s); });
  ASSERT_TRUE(eventually([&] { return curl(base + "/readyz").code == 503; }, 10s));
  EXPECT_EQ(curl(base + "/healthz").code, 200) << "alive while draining";
  EXPECT_EQ(shutdown.wait_for(20s), std::future_status::ready);
}

TEST(HttpEndpointsTest, AnHttpOnlyAddressAndEndpointsOffTheCallPort) {
  auto metrics = std::make_shared<Metrics>();
  TestServer server(Style::kBlocking,
                    {.metrics = metrics, .http = {.on_listen_addresses = false, .listen = {"127.0.0.1:0"}}});
  const std::string http = "http://127.0.0.1:" + std::to_string(server.server().port(1));
  EXPECT_EQ(curl(http + "/healthz").code, 200);
  EXPECT_EQ(curl(http + "/metrics").code, 200);
  EXPECT_EQ(curl("http://" + server.address() + "/healthz").code, 0) << "the call port does not answer HTTP";
  EXPECT_EQ(echo(server.address(), "calls still work"), "calls still work");
}

TEST(HttpEndpointsTest, ASilentOrGarbageHttpClientCostsOnlyItsConnection) {
  TestServer server(Style::kBlocking, {.handshake_timeout = 500ms});
  const auto port = server.server().port();
  auto connect_raw = [&] {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
  };
  // A request that never ends its head, and one that is all header.
  int silent = connect_raw();
  ASSERT_EQ(::send(silent, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 33, 0), 33);
  int flood = connect_raw();
  const std::string big = "GET /healthz HTTP/1.1\r\nX-Junk: " + std::string(HttpEndpoints::kMaxRequestBytes, 'j');
  ::send(flood, big.data(), big.size(), MSG_NOSIGNAL);
  EXPECT_EQ(echo(server.address(), "unaffected"), "unaffected");
  std::array<char, 512> reply{};
  const auto n = ::recv(flood, reply.data(), reply.size() - 1, 0);
  ASSERT_GT(n, 0);
  EXPECT_TRUE(std::string(reply.data()).starts_with("HTTP/1.1 431 ")) << reply.data();
  // The silent one is closed by the handshake timeout (EOF, no answer).
  timeval limit{10, 0};
  ::setsockopt(silent, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  EXPECT_EQ(::recv(silent, reply.data(), reply.size(), 0), 0);
  ::close(silent);
  ::close(flood);
  EXPECT_EQ(echo(server.address(), "still unaffected"), "still unaffected");
}

TEST(HttpEndpointsTest, SniffingTellsHttpFromAnIdlrpcFrame) {
  EXPECT_EQ(HttpEndpoints::sniff("GET "), HttpEndpoints::Sniff::kHttp);
  EXPECT_EQ(HttpEndpoints::sniff("HEAD"), HttpEndpoints::Sniff::kHttp);
  EXPECT_EQ(HttpEndpoints::sniff("GE"), HttpEndpoints::Sniff::kMaybe);
  EXPECT_EQ(HttpEndpoints::sniff("H"), HttpEndpoints::Sniff::kMaybe);
  // A frame's first four bytes are its segment count minus one (at most
  // 511): "G\0\0\0" is 72 segments, never "GET ".
  EXPECT_EQ(HttpEndpoints::sniff(std::string_view("G\0\0\0", 4)), HttpEndpoints::Sniff::kNotHttp);
  EXPECT_EQ(HttpEndpoints::sniff(std::string_view("\0\0\0\0", 4)), HttpEndpoints::Sniff::kNotHttp);
  EXPECT_EQ(HttpEndpoints::sniff("\x16\x03\x01"), HttpEndpoints::Sniff::kNotHttp);  // TLS
  EXPECT_EQ(HttpEndpoints::sniff("POST"), HttpEndpoints::Sniff::kHttp) << "answered 405, not parsed as a frame";
  EXPECT_EQ(HttpEndpoints::sniff("PRI "), HttpEndpoints::Sniff::kHttp) << "HTTP/2's preface: a gRPC client";
}

TEST(HttpEndpointsTest, AnswersToRequestsNoProbeSends) {
  auto health = std::make_shared<::idlrpc::detail::HealthState>();
  health->set("", ServingStatus::SERVING);
  HttpEndpoints endpoints(health, nullptr, [] { return true; });
  auto code_of = [](const std::string& response) { return response.substr(0, response.find("\r\n")); };
  EXPECT_EQ(code_of(endpoints.respond("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")), "HTTP/1.1 200 OK");
  EXPECT_EQ(code_of(endpoints.respond("GET /readyz\r\n\r\n")), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(code_of(endpoints.respond("garbage\r\n\r\n")), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(code_of(endpoints.respond("DELETE /readyz HTTP/1.1\r\n\r\n")), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_EQ(code_of(endpoints.respond("GET /readyz?service=%zz HTTP/1.1\r\n\r\n")), "HTTP/1.1 200 OK")
      << "a malformed escape reads as no service: the whole server";
  EXPECT_EQ(code_of(endpoints.respond("", true)), "HTTP/1.1 431 Request Header Fields Too Large");
  const std::string h2 = endpoints.respond("PRI * HTTP/2.0\r\n\r\n");
  EXPECT_EQ(code_of(h2), "HTTP/1.1 505 HTTP Version Not Supported");
  EXPECT_NE(h2.find("a gRPC client cannot call it"), std::string::npos);
  EXPECT_EQ(HttpEndpoints::head_length("GET / HTTP/1.1\r\n\r\nextra"), 18u);
  EXPECT_EQ(HttpEndpoints::head_length("GET / HTTP/1.1\r\n"), 0u);
  health->shut_down();
  EXPECT_EQ(code_of(endpoints.respond("GET /readyz HTTP/1.1\r\n\r\n")), "HTTP/1.1 503 Service Unavailable");
}

}  // namespace
}  // namespace idlrpc::test
