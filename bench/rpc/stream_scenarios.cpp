// stream_small, stream_large, upload_small and chat_pingpong: one streaming
// call each, driven either by the blocking stream API from the main thread
// or by a coroutine on the channel's I/O thread (options.stream_api).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "connect.hpp"
#include "measure.hpp"
#include "payload.hpp"
#include "scenarios.hpp"

namespace bench {
namespace {

namespace asio = boost::asio;
constexpr std::uint32_t kMiB = 1u << 20;

// Runs `task` on the channel's I/O thread and waits for its result.
template <class T>
T run_on_io_thread(const Bench::Client& client, idlrpc::Task<T> task) {
  return asio::co_spawn(client.channel().executor(), std::move(task), asio::use_future).get();
}

void count_download_message(Summary& received, const Payload& message, std::uint32_t size) {
  if (message.data.size() != size)
    throw ScenarioFailure("Download message " + std::to_string(received.count) + " has " +
                          std::to_string(message.data.size()) + " bytes instead of " + std::to_string(size));
  count_into(received, message);
}

idlrpc::Task<Summary> read_all(idlrpc::ClientReader<Payload>& reader, std::uint32_t size) {
  Summary received;
  while (auto message = co_await reader.async_read(asio::use_awaitable))
    count_download_message(received, *message, size);
  co_return received;
}

// One Download of `count` messages of `size` bytes, timed from the call's
// start to its final status (the end of the reads: a failed call throws
// there); checks every message's size and the count. Returns seconds.
double timed_download(const ScenarioOptions& options, std::uint32_t count, std::uint32_t size) {
  Bench::Client client = connected_client(options);
  const auto begin = Clock::now();
  auto reader = client.Download(StreamRequest{.count = count, .size = size});
  Summary received;
  if (options.stream_api == StreamApi::kCoroutine) {
    received = run_on_io_thread(client, read_all(reader, size));
  } else {
    while (auto message = reader.read()) count_download_message(received, *message, size);
  }
  const double elapsed = seconds(Clock::now() - begin);
  if (received.count != count)
    throw ScenarioFailure("Download delivered " + std::to_string(received.count) + " of " + std::to_string(count) +
                          " messages");
  return elapsed;
}

idlrpc::Task<std::uint64_t> write_copies(idlrpc::ClientWriter<Payload, Summary>& writer, const Payload& message,
                                         std::uint64_t count) {
  std::uint64_t sent = 0;
  // Not `sent < count && co_await ...`: g++ 12 evaluates a co_await on the
  // right of && even when the left side is false (one write too many).
  while (sent < count) {
    if (!co_await writer.async_write(message, asio::use_awaitable)) break;
    ++sent;
  }
  co_return sent;
}

// Writes one message, waits for its echo: the latency of each round trip.
idlrpc::Task<void> ping_pong(idlrpc::ClientReaderWriter<Payload, Payload>& stream, const Payload& message, int count,
                             Samples& latency) {
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    if (!co_await stream.async_write(message, asio::use_awaitable)) co_return;  // finish() reports why
    const auto echo = co_await stream.async_read(asio::use_awaitable);
    latency.add(Clock::now() - start);
    if (!echo) throw ScenarioFailure("Chat ended after " + std::to_string(i) + " echoes");
    check_echo(message, *echo);
  }
}

}  // namespace

// 1 Download call: 1,000,000 messages of 16 bytes.
Figures stream_small(const ScenarioOptions& options) {
  constexpr std::uint32_t kCount = 1'000'000;
  return {{"msgs_per_s", round_to_int(kCount / timed_download(options, kCount, kSmallPayload))}};
}

// 1 Download call: 2,000 messages of 1 MiB.
Figures stream_large(const ScenarioOptions& options) {
  constexpr std::uint32_t kCount = 2000;
  return {{"mib_per_s", round_to_tenths(kCount / timed_download(options, kCount, kMiB))}};
}

// 1 Upload call: 1,000,000 messages of 16 bytes, checked against the
// server's Summary.
Figures upload_small(const ScenarioOptions& options) {
  constexpr std::uint64_t kCount = 1'000'000;
  Bench::Client client = connected_client(options);
  const Payload message = make_payload(kSmallPayload, 'p');

  const auto begin = Clock::now();
  auto writer = client.Upload();
  std::uint64_t sent = 0;
  if (options.upload_api == StreamApi::kCoroutine) {
    sent = run_on_io_thread(client, write_copies(writer, message, kCount));
  } else {
    while (sent < kCount && writer.write(message)) ++sent;
  }
  const Summary summary = writer.finish();  // throws the reason if a write was refused
  const double elapsed = seconds(Clock::now() - begin);

  if (sent != kCount || summary.count != kCount || summary.bytes != kCount * kSmallPayload)
    throw ScenarioFailure("Upload sent " + std::to_string(sent) + " messages of " + std::to_string(kSmallPayload) +
                          " bytes; the server counted " + std::to_string(summary.count) + " messages, " +
                          std::to_string(summary.bytes) + " bytes");
  return {{"msgs_per_s", round_to_int(static_cast<double>(kCount) / elapsed)}};
}

// 1 Chat call: 20,000 messages, each sent after the previous echo arrived;
// the latency of each round trip. No warm-up: the spec asks for none.
Figures chat_pingpong(const ScenarioOptions& options) {
  constexpr int kCount = 20000;
  Bench::Client client = connected_client(options);
  const Payload message = make_payload(kSmallPayload, 'c');

  Samples latency;
  latency.reserve(kCount);
  auto stream = client.Chat();
  if (options.stream_api == StreamApi::kCoroutine) {
    run_on_io_thread(client, ping_pong(stream, message, kCount, latency));
  } else {
    for (int i = 0; i < kCount; ++i) {
      const auto start = Clock::now();
      if (!stream.write(message)) break;  // finish() below reports why
      const auto echo = stream.read();
      latency.add(Clock::now() - start);
      if (!echo) throw ScenarioFailure("Chat ended after " + std::to_string(i) + " echoes");
      check_echo(message, *echo);
    }
  }
  stream.writes_done();
  if (latency.size() == kCount && stream.read()) throw ScenarioFailure("Chat sent more echoes than messages");
  stream.finish();
  if (latency.size() != kCount) throw ScenarioFailure("Chat refused message " + std::to_string(latency.size()));

  return {{"p50_us", round_to_tenths(latency.percentile(50))}, {"p99_us", round_to_tenths(latency.percentile(99))}};
}

}  // namespace bench
