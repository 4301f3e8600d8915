// Bench with blocking handlers (bench::Bench::Service): each call runs on a
// thread of the server's worker pool.
#include <string>

#include "bench_services.hpp"
#include "payload.hpp"

namespace bench {
namespace {

class SyncBenchService final : public Bench::Service {
  Payload Echo(idlrpc::ServerContext&, const Payload& request) override { return request; }

  void Download(idlrpc::ServerContext&, const StreamRequest& request, idlrpc::ServerWriter<Payload>& writer) override {
    if (request.size > kMaxDownloadSize)
      throw idlrpc::Error(idlrpc::StatusCode::INVALID_ARGUMENT,
                          "size " + std::to_string(request.size) + " is over the limit");
    const Payload message = make_payload(request.size, 'd');
    for (std::uint32_t i = 0; i < request.count; ++i)
      if (!writer.write(message)) return;  // the call is over: the client went away
  }

  Summary Upload(idlrpc::ServerContext&, idlrpc::ServerReader<Payload>& reader) override {
    Summary summary;
    while (auto message = reader.read()) count_into(summary, *message);
    return summary;
  }

  void Chat(idlrpc::ServerContext&, idlrpc::ServerReaderWriter<Payload, Payload>& stream) override {
    while (auto message = stream.read())
      if (!stream.write(*message)) return;
  }
};

}  // namespace

std::unique_ptr<idlrpc::Service> make_sync_bench_service() { return std::make_unique<SyncBenchService>(); }

}  // namespace bench
