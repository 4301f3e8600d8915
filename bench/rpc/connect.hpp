// Opening the channels a scenario measures on.
#pragma once

#include <string>

#include <idlrpc/channel.hpp>

#include "bench.idl.h"

namespace bench {

/// The 16-byte payload of the small-message scenarios.
inline constexpr std::size_t kSmallPayload = 16;

/// A client on a new channel (its own TCP connection) that has completed
/// one untimed Echo, so the connection and its handshake are done before
/// any clock starts: Channel connects lazily.
Bench::Client connected_client(const std::string& target);

/// Throws ScenarioFailure unless `reply` carries exactly what was sent.
void check_echo(const Payload& sent, const Payload& reply);

/// The message of the exception in `error`, for a failure report.
std::string describe(std::exception_ptr error);

}  // namespace bench
