// The server under attack in the fault-injection suite: the runtime tests'
// Tester service in one handler style, in a process of its own so that its
// resident memory can be measured alone.
//
//   fault_server blocking|coroutine [--max-fds N] [--max-blocking-streams N]
//                [--frame-progress-timeout-ms N] [--min-ping-interval-ms N]
//                [--shutdown-on-signals-ms GRACE]
//
// Prints "port N" once it listens, then serves until stdin closes (the test
// driver holds the pipe; if the driver dies, so does this server). With
// --shutdown-on-signals-ms it also ends as Server::shutdown_on_signals(GRACE)
// makes it: after the graceful shutdown a signal starts, or at once on a
// second signal.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "test_server.hpp"

int main(int argc, char** argv) {
  using namespace idlrpc;
  if (argc < 2) {
    std::fprintf(stderr, "usage: fault_server blocking|coroutine [--max-fds N] [--max-blocking-streams N]\n");
    return 2;
  }
  const auto style = std::string_view(argv[1]) == "coroutine" ? test::Style::kCoroutine : test::Style::kBlocking;
  ServerOptions options;
  std::optional<std::chrono::milliseconds> signals_grace;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const unsigned value = static_cast<unsigned>(std::atoi(argv[i + 1]));
    if (flag == "--max-fds") {
      rlimit limit{value, value};
      setrlimit(RLIMIT_NOFILE, &limit);
    } else if (flag == "--max-blocking-streams") {
      options.max_blocking_stream_handlers = value;
    } else if (flag == "--min-ping-interval-ms") {
      options.min_ping_interval = std::chrono::milliseconds(value);
    } else if (flag == "--shutdown-on-signals-ms") {
      signals_grace = std::chrono::milliseconds(value);
    } else if (flag == "--frame-progress-timeout-ms") {
      options.frame_progress_timeout = std::chrono::milliseconds(value);
    }
  }
  test::TestServer server(style, options);
  if (signals_grace) server.server().shutdown_on_signals(*signals_grace);
  std::printf("port %u\n", static_cast<unsigned>(server.server().port()));
  std::fflush(stdout);
  std::thread stdin_watch([] {
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    std::_Exit(0);
  });
  stdin_watch.detach();
  server.server().wait();
  return 0;
}
