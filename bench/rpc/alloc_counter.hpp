// Counting heap allocations, for the "allocations per call" figure.
//
// The *_counted benchmark binaries link alloc_counter.cpp, which interposes
// malloc and friends (so operator new, libcapnp's calloc'd segments and
// Asio's handler memory are all seen); the normal binaries link
// no_alloc_counter.cpp and measure at full speed.
#pragma once

#include <cstdint>
#include <optional>

namespace bench {

/// Heap allocations (malloc, calloc, realloc of a null pointer, aligned
/// allocations; operator new goes through malloc) made by this process so
/// far, or nullopt in a binary built without the counter.
std::optional<std::uint64_t> allocations_so_far();

}  // namespace bench
