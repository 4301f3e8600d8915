// The HEADERS frame that opens a call, shared by every call kind.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "idlrpc/call_options.hpp"
#include "idlrpc/metadata.hpp"
#include "transport/out_frame.hpp"

namespace idlrpc::detail {

/// "idlrpc-cpp/<version>", sent as every call's user-agent.
std::string_view user_agent();

/// HEADERS for stream `id`: the method path, the time left until
/// `deadline` (at least 1 µs, so a nearly expired call still carries one),
/// the caller's metadata and our user-agent (unless the caller set one).
OutFramePtr make_request_headers(std::uint32_t id, std::string_view method,
                                 const std::optional<Clock::time_point>& deadline, const Metadata& metadata);

}  // namespace idlrpc::detail
