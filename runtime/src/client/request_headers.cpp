#include "client/request_headers.hpp"

#include <algorithm>
#include <chrono>

#include "transport/metadata_codec.hpp"

#ifndef IDLRPC_VERSION
#error "IDLRPC_VERSION must be defined by the build (PROJECT_VERSION)"
#endif

namespace idlrpc::detail {

std::string_view user_agent() { return "idlrpc-cpp/" IDLRPC_VERSION; }

OutFramePtr make_request_headers(std::uint32_t id, std::string_view method,
                                 const std::optional<Clock::time_point>& deadline, const Metadata& metadata) {
  OutFramePtr frame = make_frame();
  frame->frame().setStreamId(id);
  auto headers = frame->frame().initHeaders();
  headers.setMethod(capnp::Text::Reader(method.data(), method.size()));
  if (deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(*deadline - Clock::now());
    headers.setTimeoutMicros(static_cast<std::uint64_t>(std::max<std::int64_t>(left.count(), 1)));
  }
  const bool add_agent = !metadata.contains("user-agent");
  auto list = headers.initMetadata(static_cast<unsigned>(metadata.size() + (add_agent ? 1 : 0)));
  encode_metadata(list, metadata);
  if (add_agent) {
    auto entry = list[static_cast<unsigned>(metadata.size())];
    entry.setKey("user-agent");
    const std::string_view agent = user_agent();
    entry.setValue(capnp::Data::Reader(reinterpret_cast<const kj::byte*>(agent.data()), agent.size()));
  }
  return frame;
}

}  // namespace idlrpc::detail
