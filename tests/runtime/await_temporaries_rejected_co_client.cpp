// Must not compile with GCC 12 (ctest runtime.gcc12_rejects_*): issue
// #15's line with the Asio-free co_<Method>, which GCC 12 miscompiles the
// same way (a double free).
#include "idlrpc/lazy.hpp"
#include "kv.idl.blocking.h"

idlrpc::Lazy<kv::Entry> get(kv::Store::Client& client) {
  co_return co_await client.co_Get({.key = "user/1"});
}
