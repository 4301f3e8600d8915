// callbacks_server: calls its clients back with events on the topics they
// subscribe to.
//
//   callbacks_server [--port 50058] [--interval-ms 100]
//
// A blocking handler per subscriber and a thread beside it: the handler
// reads what the client sends (subscriptions, credit) while the thread
// writes the callbacks; they share the subscription under a mutex. An
// event happens every --interval-ms; it is sent only while the client has
// credit left, so a slow client holds the feed back instead of making the
// server buffer for it.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/server.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "callbacks.idl.h"

namespace {

struct Subscription {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> topics;
  std::map<std::string, std::uint64_t> sequence;
  std::uint32_t credit = 0;
  bool done = false;         // the client half-closed, or the call ended
  int waits_for_credit = 0;  // how often the client held the feed back
  int sent = 0;
};

class FeedService final : public callbacks::Feed::Service {
 public:
  explicit FeedService(std::chrono::milliseconds interval) : interval_(interval) {}

  void Subscribe(idlrpc::ServerContext& context,
                 idlrpc::ServerReaderWriter<callbacks::Event, callbacks::Control>& stream) override {
    Subscription sub;
    std::jthread callbacks([&] { call_back(sub, stream); });
    for (const callbacks::Control& control : stream) {
      std::lock_guard lock(sub.mutex);
      for (const auto& topic : control.subscribe) {
        if (std::find(sub.topics.begin(), sub.topics.end(), topic) == sub.topics.end()) sub.topics.push_back(topic);
      }
      for (const auto& topic : control.unsubscribe) std::erase(sub.topics, topic);
      sub.credit += control.credit;
      sub.changed.notify_all();
    }
    {
      std::lock_guard lock(sub.mutex);
      sub.done = true;
      sub.changed.notify_all();
    }
    callbacks.join();
    fmt::print("subscriber {}: {} events sent, held back for lack of credit {} times\n", context.peer(), sub.sent,
               sub.waits_for_credit);
    std::fflush(stdout);
  }

 private:
  // The callback side: waits for the next event and for credit, and sends.
  void call_back(Subscription& sub, idlrpc::ServerReaderWriter<callbacks::Event, callbacks::Control>& stream) {
    std::unique_lock lock(sub.mutex);
    std::size_t turn = 0;
    while (!sub.changed.wait_for(lock, interval_, [&] { return sub.done; })) {  // an event happens
      if (sub.topics.empty()) continue;
      if (sub.credit == 0) {
        ++sub.waits_for_credit;
        sub.changed.wait(lock, [&] { return sub.done || sub.credit > 0; });
        if (sub.done || sub.topics.empty()) continue;
      }
      const std::string topic = sub.topics[turn++ % sub.topics.size()];
      const std::uint64_t sequence = ++sub.sequence[topic];
      --sub.credit;
      ++sub.sent;
      lock.unlock();  // never write under the lock: the reader needs it meanwhile
      const bool sent = stream.write({.topic = topic, .sequence = sequence,
                                      .text = fmt::format("{} update {}", topic, sequence)});
      lock.lock();
      if (!sent) return;  // the call is over
    }
  }

  const std::chrono::milliseconds interval_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the Feed service."};
  std::uint16_t port = 50058;
  int interval_ms = 100;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_option("--interval-ms", interval_ms, "time between two events");
  CLI11_PARSE(app, argc, argv);

  FeedService service{std::chrono::milliseconds(interval_ms)};
  idlrpc::Server server({.listen = {fmt::format("0.0.0.0:{}", port)}});
  server.add_service(service);
  server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "callbacks_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Feed server listening on 0.0.0.0:{}\n", server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
