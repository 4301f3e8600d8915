// The thread that does the client's blocking lookups (DNS queries, reading
// "file:" targets), so the I/O thread never waits on a name server or a
// disk. One thread for the process: lookups are rare (seconds apart per
// channel) and each is bounded by its own timeout.
//
// Threads: run_lookup() may be called from any thread; `job` runs on the
// lookup thread, one job at a time.
#pragma once

#include <functional>

namespace idlrpc::detail {

/// Runs `job` on the lookup thread, started on first use and joined at
/// process exit.
void run_lookup(std::function<void()> job);

}  // namespace idlrpc::detail
