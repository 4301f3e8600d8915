#include "connect.hpp"

#include "measure.hpp"
#include "payload.hpp"

namespace bench {

Bench::Client connected_client(const ScenarioOptions& options) {
  idlrpc::ChannelOptions channel_options;
  if (options.stream_window_bytes != 0) channel_options.stream_window_bytes = options.stream_window_bytes;
  if (!options.tls_ca_file.empty()) channel_options.tls = idlrpc::ChannelTlsOptions{.ca_file = options.tls_ca_file};
  Bench::Client client{idlrpc::Channel(options.target, channel_options)};
  const Payload hello = make_payload(kSmallPayload, 'h');
  try {
    check_echo(hello, client.Echo(hello));
  } catch (const ScenarioFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw ScenarioFailure("cannot reach " + options.target + ": " + e.what());
  }
  return client;
}

void check_echo(const Payload& sent, const Payload& reply) {
  if (reply.data != sent.data)
    throw ScenarioFailure("Echo returned " + std::to_string(reply.data.size()) + " bytes that differ from the " +
                          std::to_string(sent.data.size()) + " sent");
}

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

}  // namespace bench
