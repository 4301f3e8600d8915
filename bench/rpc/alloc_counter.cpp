// Interposes glibc's allocation entry points in the *_counted binaries.
// Symbols defined in the executable take precedence over libc's for every
// shared library too, so libstdc++'s operator new and libcapnp's calloc are
// counted along with our own code. Each forwards to glibc's real allocator
// through its exported __libc_* names.
#include <atomic>
#include <cstddef>
#include <cstdlib>

#include "alloc_counter.hpp"

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {

std::atomic<std::uint64_t> allocation_count{0};

void count_one() { allocation_count.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

extern "C" {

void* malloc(std::size_t size) {
  count_one();
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) {
  count_one();
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) {
  // Growing an existing block is not a new allocation; a null pointer is.
  if (pointer == nullptr) count_one();
  return __libc_realloc(pointer, size);
}

void* memalign(std::size_t alignment, std::size_t size) {
  count_one();
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) {
  count_one();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  count_one();
  void* pointer = __libc_memalign(alignment, size);
  if (pointer == nullptr) return 12;  // ENOMEM
  *out = pointer;
  return 0;
}

}  // extern "C"

namespace bench {

std::optional<std::uint64_t> allocations_so_far() { return allocation_count.load(std::memory_order_relaxed); }

}  // namespace bench
