// Must not compile with GCC 12 (ctest runtime.gcc12_rejects_*): the exact
// line of issue #15, which GCC 12 miscompiles (a double free).
#include "kv.idl.h"

idlrpc::Task<void> watch(idlrpc::AsyncServerWriter<kv::Entry>& writer) {
  co_await writer.write({.key = "user/1", .value = "v1"});
}
