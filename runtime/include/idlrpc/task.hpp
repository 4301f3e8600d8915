// The coroutine type of coroutine-style handlers and of idlrpc's awaitable API.
#pragma once

#include <boost/asio/awaitable.hpp>

namespace idlrpc {

/// A coroutine that runs on an Asio executor: `co_await` it from another
/// Task, or co_spawn it. Coroutine handlers return Task<Response>.
template <class T>
using Task = boost::asio::awaitable<T>;

}  // namespace idlrpc
