// The runtime's internal logging entry point (the public half is
// idlrpc/log.hpp: the replaceable sink).
#pragma once

#include <string_view>

#include <fmt/format.h>

#include "idlrpc/log.hpp"

namespace idlrpc::detail {

/// Sends one line to the current sink.
void log_line(LogLevel level, std::string_view line);

template <class... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  log_line(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace idlrpc::detail
