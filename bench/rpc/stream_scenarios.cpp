// stream_small, stream_large, upload_small and chat_pingpong: one streaming
// call each, driven by the blocking stream API from the calling thread.
#include "connect.hpp"
#include "measure.hpp"
#include "payload.hpp"
#include "scenarios.hpp"

namespace bench {
namespace {

constexpr std::uint32_t kMiB = 1u << 20;

struct DownloadResult {
  double seconds = 0;
  Summary received;
};

// One Download of `count` messages of `size` bytes, timed from the call's
// start to its final status; checks every message's size and the count.
DownloadResult timed_download(const std::string& target, std::uint32_t count, std::uint32_t size) {
  Bench::Client client = connected_client(target);
  DownloadResult result;
  const auto begin = Clock::now();
  auto reader = client.Download(StreamRequest{.count = count, .size = size});
  while (auto message = reader.read()) {
    if (message->data.size() != size)
      throw ScenarioFailure("Download message " + std::to_string(result.received.count) + " has " +
                            std::to_string(message->data.size()) + " bytes instead of " + std::to_string(size));
    count_into(result.received, *message);
  }
  result.seconds = seconds(Clock::now() - begin);
  if (result.received.count != count)
    throw ScenarioFailure("Download delivered " + std::to_string(result.received.count) + " of " +
                          std::to_string(count) + " messages");
  return result;
}

}  // namespace

// 1 Download call: 1,000,000 messages of 16 bytes.
Figures stream_small(const ScenarioOptions& options) {
  constexpr std::uint32_t kCount = 1'000'000;
  const DownloadResult result = timed_download(options.target, kCount, kSmallPayload);
  return {{"msgs_per_s", round_to_int(kCount / result.seconds)}};
}

// 1 Download call: 2,000 messages of 1 MiB.
Figures stream_large(const ScenarioOptions& options) {
  constexpr std::uint32_t kCount = 2000;
  const DownloadResult result = timed_download(options.target, kCount, kMiB);
  return {{"mib_per_s", round_to_tenths(static_cast<double>(result.received.bytes) / kMiB / result.seconds)}};
}

// 1 Upload call: 1,000,000 messages of 16 bytes, checked against the
// server's Summary.
Figures upload_small(const ScenarioOptions& options) {
  constexpr std::uint64_t kCount = 1'000'000;
  Bench::Client client = connected_client(options.target);
  const Payload message = make_payload(kSmallPayload, 'p');

  const auto begin = Clock::now();
  auto writer = client.Upload();
  std::uint64_t sent = 0;
  while (sent < kCount && writer.write(message)) ++sent;
  const Summary summary = writer.finish();  // throws the reason if a write was refused
  const double elapsed = seconds(Clock::now() - begin);

  if (summary.count != kCount || summary.bytes != kCount * kSmallPayload)
    throw ScenarioFailure("Upload sent " + std::to_string(kCount) + " messages of " + std::to_string(kSmallPayload) +
                          " bytes; the server counted " + std::to_string(summary.count) + " messages, " +
                          std::to_string(summary.bytes) + " bytes");
  return {{"msgs_per_s", round_to_int(static_cast<double>(kCount) / elapsed)}};
}

// 1 Chat call: 20,000 messages, each sent after the previous echo arrived;
// the latency of each round trip. No warm-up: the spec asks for none.
Figures chat_pingpong(const ScenarioOptions& options) {
  constexpr int kCount = 20000;
  Bench::Client client = connected_client(options.target);
  const Payload message = make_payload(kSmallPayload, 'c');

  Samples latency;
  latency.reserve(kCount);
  auto stream = client.Chat();
  for (int i = 0; i < kCount; ++i) {
    const auto start = Clock::now();
    if (!stream.write(message)) break;  // finish() below reports why
    const auto echo = stream.read();
    latency.add(Clock::now() - start);
    if (!echo) throw ScenarioFailure("Chat ended after " + std::to_string(i) + " echoes");
    check_echo(message, *echo);
  }
  stream.writes_done();
  if (latency.size() == kCount && stream.read()) throw ScenarioFailure("Chat sent more echoes than messages");
  stream.finish();
  if (latency.size() != kCount) throw ScenarioFailure("Chat refused message " + std::to_string(latency.size()));

  return {{"p50_us", round_to_tenths(latency.percentile(50))}, {"p99_us", round_to_tenths(latency.percentile(99))}};
}

}  // namespace bench
