// The name idlrpc::Task without Asio's coroutine machinery: enough for a
// declaration that mentions Task<T> (a handler's type in a service's method
// table) in a file that neither makes nor awaits one. task.hpp completes
// it. Asio's awaitable is declared here exactly as Boost.Asio 1.81 defines
// it (its default executor, any_io_executor, a class unless
// BOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT, which idlrpc does not support);
// the static_assert in task.hpp checks that the two agree.
#pragma once

namespace boost::asio {
class any_io_executor;
template <typename T, typename Executor>
class awaitable;
}  // namespace boost::asio

namespace idlrpc {

/// A coroutine that runs on an Asio executor: `co_await` it from another
/// Task, or co_spawn it. Coroutine handlers return Task<Response>.
template <class T>
using Task = boost::asio::awaitable<T, boost::asio::any_io_executor>;

}  // namespace idlrpc
