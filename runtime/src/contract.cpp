// The failure paths of IDLRPC_REQUIRE and IDLRPC_ASSERT (contract.hpp).
#include "idlrpc/detail/contract.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace idlrpc::detail {

void require_failed(std::string_view message) { throw std::logic_error("idlrpc: " + std::string(message)); }

void assert_failed(const char* condition, const char* file, int line) noexcept {
  // Straight to stderr, not through the log sink: the application's sink
  // may be what is broken, and this line must be seen.
  std::fprintf(stderr, "idlrpc internal error: `%s` does not hold at %s:%d; please report this\n", condition,
               file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace idlrpc::detail
