// The coroutine type of coroutine-style handlers and of idlrpc's awaitable
// API: Asio's awaitable, complete (detail/task_fwd.hpp only names it).
#pragma once

#include <type_traits>

#include <boost/asio/awaitable.hpp>

#include "idlrpc/detail/task_fwd.hpp"

static_assert(std::is_same_v<idlrpc::Task<int>, boost::asio::awaitable<int>>,
              "idlrpc::Task is Asio's awaitable on its default executor");
