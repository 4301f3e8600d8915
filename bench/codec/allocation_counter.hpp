// Counts heap allocations made through operator new in this binary
// (allocation_counter.cpp replaces the global operator new).
#pragma once

#include <cstddef>

namespace codec_bench {

/// Allocations so far, process-wide.
std::size_t allocation_count() noexcept;

}  // namespace codec_bench
