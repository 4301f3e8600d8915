// The loop an I/O thread runs: Asio's io_context::run(), except that when
// the thread runs out of handlers it keeps polling (epoll_wait with no
// timeout, yielding the core between polls) for up to `poll_before_sleep`
// before it sleeps in epoll_wait, as long as such polls keep finding work
// (poll_before_sleep.hpp: why, and the back-off that keeps an idle thread
// from polling).
//
// Threads: runs on the calling thread, like run(). `poll_before_sleep_us`
// may change meanwhile (the client's setting does); it is read before each
// sleep.
#pragma once

#include <atomic>
#include <cstdint>

#include <boost/asio/io_context.hpp>

namespace idlrpc::detail {

/// Runs `io` until it is stopped or out of work, as io.run() would.
/// Handlers' exceptions propagate, as from run().
void run_io_loop(boost::asio::io_context& io, const std::atomic<std::int64_t>& poll_before_sleep_us);

}  // namespace idlrpc::detail
