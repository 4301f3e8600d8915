// Where idlrpc reports what it cannot return to a caller: a dropped
// connection, a refused peer. One line per event; stderr by default.
#pragma once

#include <functional>
#include <string_view>

namespace idlrpc {

enum class LogLevel { kInfo, kWarning, kError };

/// Receives each log line (without trailing newline). May be called from any
/// of idlrpc's threads, concurrently: a sink must be thread-safe.
using LogSink = std::function<void(LogLevel, std::string_view line)>;

/// Replaces the sink; an empty function restores the default (stderr).
/// Returns the previous sink. Set it before starting servers or channels.
LogSink set_log_sink(LogSink sink);

}  // namespace idlrpc
