// callbacks_client: subscribes to a feed and handles the server's callbacks
// while it keeps sending on the same stream.
//
//   callbacks_client [--target localhost:50058] [--lb round_robin] [--events 12] [--window 4] [--handle-ms 0]
//
// on_event() is the callback: the loop below calls it for each event the
// server sends. The client grants --window events of credit up front and
// one more after each event it has handled, so at most --window events are
// ever on their way or waiting here; when handling is slower than the feed
// (--handle-ms), the server waits. After 4 events it also subscribes to
// "stocks", after 8 it drops "weather", after --events it half-closes.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "callbacks.idl.h"

namespace {

std::map<std::string, std::uint64_t> last_sequence;

void on_event(const callbacks::Event& event, std::chrono::milliseconds handling) {
  // Sequences count up by one per topic: anything else is an event lost.
  if (event.sequence != ++last_sequence[event.topic]) {
    throw std::runtime_error(fmt::format("{} #{} came after #{}", event.topic, event.sequence, event.sequence - 1));
  }
  fmt::print("callback: {} #{}: {}\n", event.topic, event.sequence, event.text);
  std::fflush(stdout);
  std::this_thread::sleep_for(handling);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Handles callbacks from the Feed server."};
  std::string target = "localhost:50058";
  std::uint32_t events = 12;
  std::uint32_t window = 4;
  int handle_ms = 0;
  app.add_option("--target", target, "server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  app.add_option("--events", events, "how many events to handle before leaving");
  app.add_option("--window", window, "events granted ahead (the credit)")->check(CLI::Range(1, 1000));
  app.add_option("--handle-ms", handle_ms, "time each callback takes");
  CLI11_PARSE(app, argc, argv);

  callbacks::Feed::Client feed{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  try {
    auto stream = feed.Subscribe(idlrpc::CallOptions{}.set_timeout(std::chrono::minutes(1)));
    std::uint32_t granted = std::min(window, events);
    std::uint32_t received = 0;
    stream.write({.subscribe = {"weather"}, .credit = granted});
    for (const callbacks::Event& event : stream) {
      if (++received > granted) throw std::runtime_error("the server sent more events than the credit granted");
      on_event(event, std::chrono::milliseconds(handle_ms));
      if (received == events) {
        stream.writes_done();  // the server ends the call once it has read this
        continue;
      }
      callbacks::Control control;
      if (received == 4) control.subscribe = {"stocks"};
      if (received == 8) control.unsubscribe = {"weather"};
      if (granted < events) control.credit = 1;
      granted += control.credit;
      if (control != callbacks::Control{} && !stream.write(control)) break;  // the call is over: finish() says why
    }
    stream.finish();
    fmt::print("{} callbacks handled, none lost, none beyond the credit granted\n", received);
  } catch (const std::runtime_error& e) {  // idlrpc::RpcError, or a broken promise above
    fmt::print(stderr, "callbacks_client: {}\n", e.what());
    return 1;
  }
  return 0;
}
