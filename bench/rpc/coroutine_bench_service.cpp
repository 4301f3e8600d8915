// Bench with coroutine handlers (bench::Bench::AsyncService): each call runs
// on the I/O thread of its connection and never blocks it.
#include <string>

#include "bench_services.hpp"
#include "payload.hpp"

namespace bench {
namespace {

class CoroutineBenchService final : public Bench::AsyncService {
  idlrpc::Task<Payload> Echo(idlrpc::ServerContext&, const Payload& request) override { co_return request; }

  idlrpc::Task<void> Download(idlrpc::ServerContext&, const StreamRequest& request,
                              idlrpc::AsyncServerWriter<Payload>& writer) override {
    if (request.size > kMaxDownloadSize)
      throw idlrpc::Error(idlrpc::StatusCode::INVALID_ARGUMENT,
                          "size " + std::to_string(request.size) + " is over the limit");
    const Payload message = make_payload(request.size, 'd');
    for (std::uint32_t i = 0; i < request.count; ++i)
      if (!co_await writer.write(message)) co_return;  // the call is over: the client went away
  }

  idlrpc::Task<Summary> Upload(idlrpc::ServerContext&, idlrpc::AsyncServerReader<Payload>& reader) override {
    Summary summary;
    while (auto message = co_await reader.read()) count_into(summary, *message);
    co_return summary;
  }

  idlrpc::Task<void> Chat(idlrpc::ServerContext&, idlrpc::AsyncServerReaderWriter<Payload, Payload>& stream) override {
    while (auto message = co_await stream.read())
      if (!co_await stream.write(*message)) co_return;
  }
};

}  // namespace

std::unique_ptr<idlrpc::Service> make_coroutine_bench_service() { return std::make_unique<CoroutineBenchService>(); }

}  // namespace bench
