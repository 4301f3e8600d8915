// An attacker for the fault-injection suite: a second process that speaks
// idlrpc's wire protocol from its own copy of the schema (as a second
// implementation would, docs/protocol.md) and misbehaves in one way:
//
//   fault_peer MODE PORT SECONDS [N]
//
//   no-read-streams N   opens N server-streaming calls and never reads
//   ping-flood          sends pings as fast as it can, never reads
//   idle-streams N      opens N client-streaming calls and never writes
//   metadata-bomb N     opens N calls, each with 1 MiB of metadata
//   slow-frame          announces a 4 MiB frame and sends a byte now and then
//   big-first-frame     announces a 4 MiB frame before its HELLO
//   rapid-reset N       opens and cancels N calls whose handlers block
//   unread-uploads N    sends N streams of 1 MiB messages the server never reads
//   connections N       opens N connections and holds them
//
// Every mode is bounded: it stops after SECONDS, or when the server closes
// the connection, and then prints one line "fault_peer: MODE ..." with what
// happened, for the test's log. It exits 0 unless it could not connect.
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include "frame_peer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace idlrpc::fault;

struct Run {
  const char* mode;
  Clock::time_point until;
  bool over() const { return Clock::now() >= until; }
  void sleep(std::chrono::milliseconds ms) const {
    std::this_thread::sleep_for(std::min<Clock::duration>(ms, std::max<Clock::duration>(until - Clock::now(), {})));
  }
};

constexpr std::string_view kCount = "/idlrpc.test.Tester/Count";
constexpr std::string_view kSum = "/idlrpc.test.Tester/Sum";
constexpr std::string_view kEcho = "/idlrpc.test.Tester/Echo";

int finish(const Run& run, const std::string& what) {
  std::printf("fault_peer: %s %s\n", run.mode, what.c_str());
  std::fflush(stdout);
  return 0;
}

int no_read_streams(const Run& run, std::uint16_t port, unsigned n) {
  const int fd = connect_to(port, 4096);
  if (fd < 0 || !send_hello(fd)) return 2;
  idlrpc::test::TestRequest request;
  request.count = 1000000;  // far more than it will ever read: none
  request.response_bytes = 512;
  unsigned opened = 0;
  for (std::uint32_t id = 1; opened < n && !run.over(); id += 2, ++opened) {
    if (!send_headers(fd, id, kCount) || !send_request(fd, id, request, true)) break;
  }
  while (!run.over() && !reset_by_server(fd)) run.sleep(std::chrono::milliseconds(50));
  close(fd);
  return finish(run, "opened " + std::to_string(opened) + " streams");
}

int ping_flood(const Run& run, std::uint16_t port) {
  const int fd = connect_to(port, 4096);
  if (fd < 0 || !send_hello(fd)) return 2;
  std::uint64_t pings = 0;
  while (!run.over() && send_ping(fd, pings)) ++pings;
  close(fd);
  return finish(run, "sent " + std::to_string(pings) + " pings");
}

int idle_streams(const Run& run, std::uint16_t port, unsigned n) {
  // Spread over connections of at most 100 calls, as clients would be.
  std::vector<int> fds;
  unsigned opened = 0;
  for (unsigned c = 0; opened < n && !run.over(); ++c) {
    const int fd = connect_to(port);
    if (fd < 0 || !send_hello(fd)) break;
    fds.push_back(fd);
    for (std::uint32_t id = 1; id <= 199 && opened < n; id += 2, ++opened) send_headers(fd, id, kSum);
  }
  while (!run.over()) {
    for (int fd : fds) closed_by_server(fd);  // read what comes (refusals), write nothing
    run.sleep(std::chrono::milliseconds(50));
  }
  for (int fd : fds) close(fd);
  return finish(run, "held " + std::to_string(opened) + " idle streams");
}

int metadata_bomb(const Run& run, std::uint16_t port, unsigned n) {
  const int fd = connect_to(port);
  if (fd < 0 || !send_hello(fd)) return 2;
  unsigned sent = 0;
  for (std::uint32_t id = 1; sent < n && !run.over(); id += 2, ++sent) {
    if (!send_headers(fd, id, kEcho, 1024 * 1024)) break;
    closed_by_server(fd);
  }
  while (!run.over() && !closed_by_server(fd)) run.sleep(std::chrono::milliseconds(20));
  close(fd);
  return finish(run, "sent " + std::to_string(sent) + " calls with 1 MiB of metadata");
}

// The header of a one-segment frame of `bytes` (a multiple of 8).
std::string frame_header(std::uint32_t bytes) {
  std::string header(8, '\0');
  const std::uint32_t words = bytes / 8;
  std::memcpy(header.data() + 4, &words, 4);
  return header;
}

int slow_frame(const Run& run, std::uint16_t port, bool before_hello) {
  const int fd = connect_to(port);
  if (fd < 0) return 2;
  if (!before_hello && !send_hello(fd)) return 2;
  const std::string header = frame_header(4 * 1024 * 1024 - 4096);
  send_all(fd, header.data(), header.size());
  std::size_t sent = 0;
  bool closed = false;
  while (!run.over() && !(closed = closed_by_server(fd))) {
    if (send_all(fd, "\0", 1)) ++sent;
    run.sleep(std::chrono::milliseconds(before_hello ? 50 : 2000));
  }
  close(fd);
  return finish(run, std::string(closed ? "closed by the server" : "still open") + " after " +
                         std::to_string(sent) + " body bytes");
}

int rapid_reset(const Run& run, std::uint16_t port, unsigned n) {
  const int fd = connect_to(port);
  if (fd < 0 || !send_hello(fd)) return 2;
  idlrpc::test::TestRequest request;
  request.wait_for_cancel = true;  // the handler blocks until it sees the cancel
  unsigned sent = 0;
  for (std::uint32_t id = 1; sent < n && !run.over(); id += 2, ++sent) {
    if (!send_headers(fd, id, kEcho) || !send_request(fd, id, request, true) || !send_cancel(fd, id)) break;
    if (sent % 64 == 0 && closed_by_server(fd)) break;
  }
  while (!run.over() && !closed_by_server(fd)) run.sleep(std::chrono::milliseconds(20));
  close(fd);
  return finish(run, "opened and cancelled " + std::to_string(sent) + " calls");
}

int unread_uploads(const Run& run, std::uint16_t port, unsigned n) {
  // Client-streaming calls whose handler reads nothing until cancelled:
  // every message sent stays buffered on the server, as far as windows allow.
  const int fd = connect_to(port, 4096);
  if (fd < 0 || !send_hello(fd)) return 2;
  idlrpc::test::TestRequest request;
  request.payload.assign(1024 * 1024 - 1024, 'u');
  request.wait_for_cancel = true;
  std::size_t sent = 0;
  for (std::uint32_t id = 1, i = 0; i < n && !run.over(); id += 2, ++i) {
    if (!send_headers(fd, id, kSum)) break;
    for (int m = 0; m < 8 && !run.over(); ++m) {
      if (!send_request(fd, id, request, false)) break;
      ++sent;
    }
  }
  while (!run.over() && !reset_by_server(fd)) run.sleep(std::chrono::milliseconds(50));
  close(fd);
  return finish(run, "sent " + std::to_string(sent) + " messages of 1 MiB");
}

int connections(const Run& run, std::uint16_t port, unsigned n) {
  std::vector<int> fds;
  for (unsigned i = 0; i < n && !run.over(); ++i) {
    const int fd = connect_to(port);
    if (fd < 0) break;
    fds.push_back(fd);
  }
  run.sleep(std::chrono::hours(1));
  for (int fd : fds) close(fd);
  return finish(run, "held " + std::to_string(fds.size()) + " connections");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: fault_peer MODE PORT SECONDS [N]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  const std::string_view mode = argv[1];
  const auto port = static_cast<std::uint16_t>(std::atoi(argv[2]));
  const Run run{argv[1], Clock::now() + std::chrono::seconds(std::atoi(argv[3]))};
  const unsigned n = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 1;
  if (mode == "no-read-streams") return no_read_streams(run, port, n);
  if (mode == "ping-flood") return ping_flood(run, port);
  if (mode == "idle-streams") return idle_streams(run, port, n);
  if (mode == "metadata-bomb") return metadata_bomb(run, port, n);
  if (mode == "slow-frame") return slow_frame(run, port, false);
  if (mode == "big-first-frame") return slow_frame(run, port, true);
  if (mode == "rapid-reset") return rapid_reset(run, port, n);
  if (mode == "unread-uploads") return unread_uploads(run, port, n);
  if (mode == "connections") return connections(run, port, n);
  std::fprintf(stderr, "fault_peer: unknown mode %s\n", argv[1]);
  return 2;
}
