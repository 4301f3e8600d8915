// The I/O thread every Channel in the process runs on. Channels are cheap
// handles; sharing one loop keeps a process with many of them from
// spawning a thread per channel, and makes a channel's lifetime a matter of
// reference counts rather than of joining threads.
#pragma once

#include <boost/asio/any_io_executor.hpp>

namespace idlrpc::detail {

/// The client I/O executor, started on first use, stopped at process exit.
boost::asio::any_io_executor client_executor();

}  // namespace idlrpc::detail
