// What the server's and the channel's interceptor chains share: telling
// each interceptor that started about a call's end, in reverse order, so
// that an exception from one (logged) never keeps the others from hearing.
//
// Threads: the call's I/O thread.
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <string_view>
#include <vector>

#include "log.hpp"

namespace idlrpc::detail {

/// Calls `notify(*chain[i])` for i = started-1 down to 0; `side` and
/// `method` name the call in the log line of an interceptor that throws.
template <class Interceptor, class Notify>
void notify_end(const std::vector<std::shared_ptr<Interceptor>>& chain, std::size_t started, std::string_view side,
                std::string_view method, Notify notify) {
  for (std::size_t i = started; i-- > 0;) {
    try {
      notify(*chain[i]);
    } catch (const std::exception& e) {
      log(LogLevel::kWarning, "{} interceptor's on_end for {} threw: {}", side, method, e.what());
    } catch (...) {
      log(LogLevel::kWarning, "{} interceptor's on_end for {} threw", side, method);
    }
  }
}

}  // namespace idlrpc::detail
