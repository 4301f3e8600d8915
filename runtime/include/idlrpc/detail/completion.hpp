// Delivering a result to an Asio completion handler from an idlrpc I/O thread.
#pragma once

#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

namespace idlrpc::detail {

/// Runs handler(args...) on the handler's associated executor (`fallback`
/// when it has none: then right here, on the I/O thread). Pass arguments
/// by move: an std::exception_ptr must have one owner at a time, on one
/// thread (ThreadSanitizer cannot see libstdc++'s reference counting).
///
/// The handler's executor is kept busy (outstanding work) until the handler
/// has run, and that work is released on the handler's executor itself:
/// released here instead, it could let that executor's run() return, and
/// its owner destroy it, while this thread is still inside the release.
///
/// `slot`: the handler's cancellation slot, if the operation installed a
/// handler in it; that is removed first, on the handler's executor (where
/// the slot is emitted), so a later emission no longer reaches the
/// operation that has completed.
template <class Handler, class... Args>
void complete_with(boost::asio::cancellation_slot slot, Handler handler, const boost::asio::any_io_executor& fallback,
                   Args... args) {
  auto executor = boost::asio::get_associated_executor(handler, fallback);
  auto work = boost::asio::prefer(executor, boost::asio::execution::outstanding_work.tracked);
  boost::asio::dispatch(executor, [slot, handler = std::move(handler), work = std::move(work),
                                   ... args = std::move(args)]() mutable {
    slot.clear();
    std::move(handler)(std::move(args)...);
  });
}

template <class Handler, class... Args>
void complete_with(Handler handler, const boost::asio::any_io_executor& fallback, Args... args) {
  complete_with(boost::asio::cancellation_slot(), std::move(handler), fallback, std::move(args)...);
}

}  // namespace idlrpc::detail
