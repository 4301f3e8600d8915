// Encode and decode throughput of a typical message (bench.Order: ids,
// three strings, a double, a list of strings, a list of ints), through
// idlrpc's generated code and, side by side, through the C++ that capnp
// generates for the schema idlc emits. Also counts heap allocations per
// operation (global operator new is replaced in this binary).
//
//   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DIDLRPC_BUILD_BENCH=ON
//   cmake --build build/bench --target codec_bench && build/bench/bench/codec/codec_bench
#include <benchmark/benchmark.h>

#include <cstring>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include "allocation_counter.hpp"
#include "order.capnp.h"
#include "order.idl.h"

namespace {

// capnp's C++ for the schema idlc emits lives in its own namespace
// (docs/wire-format.md), apart from idlc's bench::Order.
using CapnpOrder = ::idlrpc_capnp::bench::Order;

// Reports allocations per iteration for the timed loop.
class AllocationCounter {
 public:
  explicit AllocationCounter(benchmark::State& state)
      : state_(state), start_(codec_bench::allocation_count()) {}
  ~AllocationCounter() {
    const auto count = static_cast<double>(codec_bench::allocation_count() - start_);
    state_.counters["allocs/op"] = benchmark::Counter(count, benchmark::Counter::kAvgIterations);
  }

 private:
  benchmark::State& state_;
  std::size_t start_;
};

bench::Order typical_order() {
  return {.id = 1234567890123ull,
          .customer = "Ada Lovelace",
          .email = "ada.lovelace@analytical-engine.example",
          .quantity = 3,
          .price = 129.95,
          .tags = {"priority", "gift", "fragile"},
          .item_ids = {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008},
          .express = true};
}

void fill_with_capnp(CapnpOrder::Builder b, const bench::Order& o) {
  b.setId(o.id);
  b.setCustomer(capnp::Text::Reader(o.customer.data(), o.customer.size()));
  b.setEmail(capnp::Text::Reader(o.email.data(), o.email.size()));
  b.setQuantity(o.quantity);
  b.setPrice(o.price);
  auto tags = b.initTags(static_cast<unsigned>(o.tags.size()));
  for (unsigned i = 0; i < tags.size(); ++i) tags.set(i, capnp::Text::Reader(o.tags[i].data(), o.tags[i].size()));
  auto ids = b.initItemIds(static_cast<unsigned>(o.item_ids.size()));
  for (unsigned i = 0; i < ids.size(); ++i) ids.set(i, o.item_ids[i]);
  b.setExpress(o.express);
}

constexpr unsigned kFirstSegmentWords = 1024;
constexpr unsigned kScratchWords = 128;  // the Order message is 30 words: it fits, and zeroing stays cheap

// Encode: a fresh MallocMessageBuilder per message (its first segment is one
// heap allocation), then the flat bytes to send.
void BM_Encode_Idlrpc(benchmark::State& state) {
  const bench::Order order = typical_order();
  std::size_t bytes = 0;
  AllocationCounter allocations(state);
  for (auto _ : state) {
    capnp::MallocMessageBuilder message(kFirstSegmentWords);
    idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), order);
    auto flat = capnp::messageToFlatArray(message);
    bytes += flat.asBytes().size();
    benchmark::DoNotOptimize(flat.begin());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Encode_Idlrpc);

void BM_Encode_Capnp(benchmark::State& state) {
  const bench::Order order = typical_order();
  std::size_t bytes = 0;
  AllocationCounter allocations(state);
  for (auto _ : state) {
    capnp::MallocMessageBuilder message(kFirstSegmentWords);
    fill_with_capnp(message.initRoot<CapnpOrder>(), order);
    auto flat = capnp::messageToFlatArray(message);
    bytes += flat.asBytes().size();
    benchmark::DoNotOptimize(flat.begin());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Encode_Capnp);

// Encode into a caller-provided scratch segment: no allocation at all when
// the message fits, the way a transport reusing its buffer would encode.
void BM_EncodeScratch_Idlrpc(benchmark::State& state) {
  const bench::Order order = typical_order();
  kj::Array<capnp::word> scratch = kj::heapArray<capnp::word>(kScratchWords);
  AllocationCounter allocations(state);
  for (auto _ : state) {
    std::memset(scratch.begin(), 0, scratch.asBytes().size());  // MallocMessageBuilder requires zeroed scratch
    capnp::MallocMessageBuilder message(scratch);
    idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), order);
    benchmark::DoNotOptimize(message.getSegmentsForOutput()[0].begin());
  }
}
BENCHMARK(BM_EncodeScratch_Idlrpc);

void BM_EncodeScratch_Capnp(benchmark::State& state) {
  const bench::Order order = typical_order();
  kj::Array<capnp::word> scratch = kj::heapArray<capnp::word>(kScratchWords);
  AllocationCounter allocations(state);
  for (auto _ : state) {
    std::memset(scratch.begin(), 0, scratch.asBytes().size());
    capnp::MallocMessageBuilder message(scratch);
    fill_with_capnp(message.initRoot<CapnpOrder>(), order);
    benchmark::DoNotOptimize(message.getSegmentsForOutput()[0].begin());
  }
}
BENCHMARK(BM_EncodeScratch_Capnp);

kj::Array<capnp::word> encoded_order() {
  capnp::MallocMessageBuilder message;
  idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), typical_order());
  return capnp::messageToFlatArray(message);
}

// Decode: idlrpc copies into a plain value (std::string, std::vector).
void BM_Decode_Idlrpc(benchmark::State& state) {
  const auto flat = encoded_order();
  bench::Order order;
  AllocationCounter allocations(state);
  for (auto _ : state) {
    capnp::FlatArrayMessageReader message(flat);
    idlrpc::wire::decode(message.getRoot<capnp::AnyPointer>(), order);
    benchmark::DoNotOptimize(order.tags.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * flat.asBytes().size()));
}
BENCHMARK(BM_Decode_Idlrpc);

// capnp reads in place; to compare like with like, every field is read and
// copied into the same plain value.
void BM_Decode_Capnp(benchmark::State& state) {
  const auto flat = encoded_order();
  bench::Order order;
  AllocationCounter allocations(state);
  for (auto _ : state) {
    capnp::FlatArrayMessageReader message(flat);
    const auto r = message.getRoot<CapnpOrder>();
    order.id = r.getId();
    order.customer.assign(r.getCustomer().cStr(), r.getCustomer().size());
    order.email.assign(r.getEmail().cStr(), r.getEmail().size());
    order.quantity = r.getQuantity();
    order.price = r.getPrice();
    const auto tags = r.getTags();
    order.tags.resize(tags.size());
    for (unsigned i = 0; i < tags.size(); ++i) order.tags[i].assign(tags[i].cStr(), tags[i].size());
    const auto ids = r.getItemIds();
    order.item_ids.resize(ids.size());
    for (unsigned i = 0; i < ids.size(); ++i) order.item_ids[i] = ids[i];
    order.express = r.getExpress();
    benchmark::DoNotOptimize(order.tags.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * flat.asBytes().size()));
}
BENCHMARK(BM_Decode_Capnp);

}  // namespace

BENCHMARK_MAIN();
