// unary_latency and unary_throughput.
#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "connect.hpp"
#include "measure.hpp"
#include "payload.hpp"
#include "scenarios.hpp"

namespace bench {

namespace {

// Runs `calls` Echo calls one after another, each started from the previous
// one's completion on the channel's I/O thread, so no other thread is woken
// per call. Adds each call's latency to `latency` when given.
class CallbackChain {
 public:
  CallbackChain(Bench::Client& client, const Payload& request, int calls, Samples* latency)
      : client_(client), request_(request), remaining_(calls), latency_(latency) {}

  void run() {
    if (remaining_ == 0) return;
    auto finished = done_.get_future();
    issue();
    finished.get();  // rethrows the first failure
  }

 private:
  void issue() {
    started_at_ = Clock::now();
    client_.async_Echo(request_, [this](std::exception_ptr error, Payload reply) {
      const auto now = Clock::now();
      if (error) return done_.set_exception(std::make_exception_ptr(ScenarioFailure("Echo failed: " + describe(error))));
      if (reply.data != request_.data)
        return done_.set_exception(std::make_exception_ptr(ScenarioFailure("Echo returned other bytes than sent")));
      if (latency_) latency_->add(now - started_at_);
      if (--remaining_ == 0) return done_.set_value();
      issue();
    });
  }

  Bench::Client& client_;
  const Payload& request_;
  int remaining_;
  Samples* latency_;
  Clock::time_point started_at_;
  std::promise<void> done_;
};

}  // namespace

// 1 connection, 1 call in flight: 2,000 warm-up calls, then 20,000 timed
// ones, driven by options.latency_api.
Figures unary_latency(const ScenarioOptions& options) {
  constexpr int kWarmup = 2000, kTimed = 20000;
  Bench::Client client = connected_client(options.target);
  const Payload request = make_payload(kSmallPayload, 'u');
  Samples latency;
  latency.reserve(kTimed);

  // Returns the seconds the timed calls took.
  const auto blocking = [&] {
    for (int i = 0; i < kWarmup; ++i) check_echo(request, client.Echo(request));
    const auto begin = Clock::now();
    for (int i = 0; i < kTimed; ++i) {
      const auto start = Clock::now();
      const Payload reply = client.Echo(request);
      latency.add(Clock::now() - start);
      check_echo(request, reply);
    }
    return seconds(Clock::now() - begin);
  };
  const auto callback = [&] {
    CallbackChain(client, request, kWarmup, nullptr).run();
    const auto begin = Clock::now();
    CallbackChain(client, request, kTimed, &latency).run();
    return seconds(Clock::now() - begin);
  };
  const double elapsed = options.latency_api == SerialCallApi::kBlocking ? blocking() : callback();

  return {{"p50_us", round_to_tenths(latency.percentile(50))},
          {"p99_us", round_to_tenths(latency.percentile(99))},
          {"calls_per_s", round_to_int(kTimed / elapsed)}};
}

namespace {

// unary_throughput's shared state. Completions arrive on the runtime's
// threads; each slot is touched by one completion at a time (its next call
// starts only from its previous completion), so only the phase, the count
// of running slots and the first error are shared.
class ThroughputRun {
 public:
  enum Phase { kWarmup, kTimed, kStopping };

  Phase phase() const { return phase_.load(std::memory_order_acquire); }
  void enter(Phase phase) { phase_.store(phase, std::memory_order_release); }

  void slot_started() { running_.fetch_add(1, std::memory_order_relaxed); }

  // A slot ends: after a failure, or when it sees kStopping.
  void slot_stopped(std::string error = {}) {
    std::lock_guard lock(mutex_);
    if (!error.empty() && error_.empty()) error_ = std::move(error);
    if (running_.fetch_sub(1, std::memory_order_acq_rel) == 1) all_stopped_.notify_all();
  }

  // Waits for every slot to end; throws ScenarioFailure on a failure or if
  // calls are still hanging after `patience`.
  void wait_all_stopped(std::chrono::seconds patience) {
    std::unique_lock lock(mutex_);
    if (!all_stopped_.wait_for(lock, patience, [&] { return running_.load() == 0; }))
      throw ScenarioFailure(std::to_string(running_.load()) + " calls still unanswered " +
                            std::to_string(patience.count()) + " s after the timed window");
    if (!error_.empty()) throw ScenarioFailure(error_);
  }

 private:
  std::atomic<Phase> phase_{kWarmup};
  std::atomic<int> running_{0};
  std::mutex mutex_;
  std::condition_variable all_stopped_;
  std::string error_;
};

// One of the 128 calls kept in flight: when its call completes, it records
// the latency (in the timed window) and starts the next one at once.
class EchoSlot {
 public:
  EchoSlot(Bench::Client& client, const Payload& request, ThroughputRun& run)
      : client_(client), request_(request), run_(run) {}

  void start() {
    run_.slot_started();
    issue();
  }

  const Samples& latency() const { return latency_; }

 private:
  void issue() {
    started_at_ = Clock::now();
    client_.async_Echo(request_, [this](std::exception_ptr error, Payload reply) { complete(error, reply); });
  }

  void complete(std::exception_ptr error, const Payload& reply) {
    const auto now = Clock::now();
    if (error) return run_.slot_stopped("Echo failed: " + describe(error));
    if (reply.data != request_.data) return run_.slot_stopped("Echo returned other bytes than sent");
    const auto phase = run_.phase();
    if (phase == ThroughputRun::kStopping) return run_.slot_stopped();
    if (phase == ThroughputRun::kTimed) latency_.add(now - started_at_);
    issue();
  }

  Bench::Client& client_;
  const Payload& request_;
  ThroughputRun& run_;
  Clock::time_point started_at_;
  Samples latency_;
};

}  // namespace

// 4 connections with 32 calls in flight on each, asynchronous calls with a
// callback completion token: 1 s warm-up, then the calls completing within
// 5 s are counted. The calls still in flight then finish uncounted.
Figures unary_throughput(const ScenarioOptions& options) {
  constexpr int kConnections = 4, kInFlightPerConnection = 32;
  constexpr auto kWarmup = std::chrono::seconds(1), kTimed = std::chrono::seconds(5);

  const std::uint16_t port = port_of(options.target);
  const ConnectionSet connections_before = established_connections_to(port);
  std::vector<Bench::Client> clients;
  for (int c = 0; c < kConnections; ++c) clients.push_back(connected_client(options.target));
  const std::size_t connections_opened = opened_between(connections_before, established_connections_to(port));
  if (connections_opened != kConnections)
    throw ScenarioFailure(std::to_string(kConnections) + " channels opened " + std::to_string(connections_opened) +
                          " TCP connections instead of one each");

  const Payload request = make_payload(kSmallPayload, 't');
  ThroughputRun run;
  std::vector<std::unique_ptr<EchoSlot>> slots;
  for (int i = 0; i < kConnections * kInFlightPerConnection; ++i)
    slots.push_back(std::make_unique<EchoSlot>(clients[i % kConnections], request, run));
  for (auto& slot : slots) slot->start();

  std::this_thread::sleep_for(kWarmup);
  const auto begin = Clock::now();
  run.enter(ThroughputRun::kTimed);
  std::this_thread::sleep_for(kTimed);
  run.enter(ThroughputRun::kStopping);
  const double elapsed = seconds(Clock::now() - begin);
  run.wait_all_stopped(std::chrono::seconds(30));

  Samples latency;
  for (const auto& slot : slots) latency.merge(slot->latency());
  return {{"calls_per_s", round_to_int(static_cast<double>(latency.size()) / elapsed)},
          {"p50_us", round_to_tenths(latency.percentile(50))},
          {"p99_us", round_to_tenths(latency.percentile(99))}};
}

}  // namespace bench
