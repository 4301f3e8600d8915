// Building and checking Payloads, whatever C++ type idlc gives `bytes`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bench.idl.h"

namespace bench {

/// The C++ type of a `bytes` field, as idlc generates it.
using Bytes = decltype(Payload{}.data);

/// A payload of `size` copies of `fill`.
inline Payload make_payload(std::size_t size, char fill) {
  return Payload{.data = Bytes(size, static_cast<typename Bytes::value_type>(fill))};
}

/// The largest Download message the server agrees to build; the runtime's
/// default message limit is 4 MiB, and the spec's largest message is 1 MiB.
inline constexpr std::uint32_t kMaxDownloadSize = 4u << 20;

/// What a stream receiver counts.
inline void count_into(Summary& summary, const Payload& message) {
  summary.count += 1;
  summary.bytes += message.data.size();
}

}  // namespace bench
