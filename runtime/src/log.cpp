#include "log.hpp"

#include <cstdio>
#include <mutex>
#include <utility>

namespace idlrpc {
namespace {

std::mutex& sink_mutex() {
  static std::mutex mutex;
  return mutex;
}

LogSink& current_sink() {
  static LogSink sink;
  return sink;
}

void write_to_stderr(LogLevel level, std::string_view line) {
  const char* tag = level == LogLevel::kError ? "error" : level == LogLevel::kWarning ? "warning" : "info";
  // One fprintf per line: stdio locks the stream, so lines never interleave.
  std::fprintf(stderr, "idlrpc %s: %.*s\n", tag, static_cast<int>(line.size()), line.data());
}

}  // namespace

LogSink set_log_sink(LogSink sink) {
  std::lock_guard lock(sink_mutex());
  return std::exchange(current_sink(), std::move(sink));
}

namespace detail {

void log_line(LogLevel level, std::string_view line) {
  LogSink sink;
  {
    std::lock_guard lock(sink_mutex());
    sink = current_sink();
  }
  if (sink) {
    sink(level, line);
  } else {
    write_to_stderr(level, line);
  }
}

bool LogRateLimit::admit(std::size_t& dropped) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (now - window_ >= std::chrono::seconds(1)) {
    window_ = now;
    in_window_ = 0;
  }
  if (++in_window_ > per_second_) {
    ++dropped_;
    return false;
  }
  dropped = std::exchange(dropped_, 0);
  return true;
}

}  // namespace detail
}  // namespace idlrpc
