// Must not compile with GCC 12 (ctest runtime.gcc12_rejects_*): the exact
// line of issue #15, which GCC 12 miscompiles (a double free).
#include <boost/asio/use_awaitable.hpp>

#include "kv.idl.h"

namespace asio = boost::asio;

idlrpc::Task<kv::Entry> get(kv::Store::Client& client) {
  co_return co_await client.async_Get({.key = "user/1"}, asio::use_awaitable);
}
