// Messages of the test service, written by hand exactly as idlc generates
// them (docs/generated-code.md), so the runtime is tested against the
// generated-code contract without depending on idlc.
#pragma once

#include <cstdint>
#include <string>

#include <capnp/blob.h>

#include "idlrpc/message.hpp"

namespace idlrpc::test {

/// What the test handlers do is steered by the request.
struct TestRequest {
  std::string text{};
  std::uint16_t fail_code = 0;      // throw idlrpc::Error(fail_code, text)
  bool throw_std = false;           // throw std::runtime_error(text)
  bool wait_for_cancel = false;     // block until the call is cancelled
  std::uint32_t response_bytes = 0; // size of TestResponse::payload
  std::string payload{};              // sent along (size tests)
  std::string forward_to{};           // Forward: the next hop's address
  std::uint32_t delay_ms = 0;       // take this long before answering
  std::uint32_t count = 0;          // Count: how many messages to stream back
  friend bool operator==(const TestRequest&, const TestRequest&) = default;
};

struct TestResponse {
  std::string text{};
  std::string payload{};
  std::string peer{};                 // ServerContext::peer()
  std::string user_agent{};           // the client's user-agent metadata
  std::int64_t deadline_left_ms = -1;  // -1: no deadline
  friend bool operator==(const TestResponse&, const TestResponse&) = default;
};

namespace detail {

inline void set_text(wire::StructBuilder& out, std::size_t slot, const std::string& value) {
  if (!value.empty()) out.pointer(slot).setAs<capnp::Text>(capnp::Text::Reader(value.data(), value.size()));
}
inline void get_text(const wire::StructReader& in, std::size_t slot, std::string& value) {
  auto pointer = in.pointer(slot);
  if (pointer.isNull()) return;
  auto text = pointer.getAs<capnp::Text>();
  value.assign(text.cStr(), text.size());
}
inline void set_data(wire::StructBuilder& out, std::size_t slot, const std::string& value) {
  if (!value.empty()) {
    out.pointer(slot).setAs<capnp::Data>(
        capnp::Data::Reader(reinterpret_cast<const kj::byte*>(value.data()), value.size()));
  }
}
inline void get_data(const wire::StructReader& in, std::size_t slot, std::string& value) {
  auto pointer = in.pointer(slot);
  if (pointer.isNull()) return;
  auto data = pointer.getAs<capnp::Data>();
  value.assign(reinterpret_cast<const char*>(data.begin()), data.size());
}

}  // namespace detail
}  // namespace idlrpc::test

template <>
struct idlrpc::MessageTraits<idlrpc::test::TestRequest> {
  static constexpr std::string_view kFullName = "idlrpc.test.TestRequest";
  static constexpr idlrpc::wire::StructSize kStructSize{2, 3};
  static void encode(const idlrpc::test::TestRequest& v, idlrpc::wire::StructBuilder out) {
    out.set<std::uint16_t>(0, v.fail_code);
    out.set_bool(16, v.throw_std);
    out.set_bool(17, v.wait_for_cancel);
    out.set<std::uint32_t>(1, v.response_bytes);
    out.set<std::uint32_t>(2, v.delay_ms);
    out.set<std::uint32_t>(3, v.count);
    idlrpc::test::detail::set_text(out, 0, v.text);
    idlrpc::test::detail::set_data(out, 1, v.payload);
    idlrpc::test::detail::set_text(out, 2, v.forward_to);
  }
  static void decode(idlrpc::wire::StructReader in, idlrpc::test::TestRequest& v) {
    v.fail_code = in.get<std::uint16_t>(0);
    v.throw_std = in.get_bool(16);
    v.wait_for_cancel = in.get_bool(17);
    v.response_bytes = in.get<std::uint32_t>(1);
    v.delay_ms = in.get<std::uint32_t>(2);
    v.count = in.get<std::uint32_t>(3);
    idlrpc::test::detail::get_text(in, 0, v.text);
    idlrpc::test::detail::get_data(in, 1, v.payload);
    idlrpc::test::detail::get_text(in, 2, v.forward_to);
  }
};

template <>
struct idlrpc::MessageTraits<idlrpc::test::TestResponse> {
  static constexpr std::string_view kFullName = "idlrpc.test.TestResponse";
  static constexpr idlrpc::wire::StructSize kStructSize{1, 4};
  static void encode(const idlrpc::test::TestResponse& v, idlrpc::wire::StructBuilder out) {
    out.set<std::int64_t>(0, v.deadline_left_ms);
    idlrpc::test::detail::set_text(out, 0, v.text);
    idlrpc::test::detail::set_data(out, 1, v.payload);
    idlrpc::test::detail::set_text(out, 2, v.peer);
    idlrpc::test::detail::set_text(out, 3, v.user_agent);
  }
  static void decode(idlrpc::wire::StructReader in, idlrpc::test::TestResponse& v) {
    v.deadline_left_ms = in.get<std::int64_t>(0);
    idlrpc::test::detail::get_text(in, 0, v.text);
    idlrpc::test::detail::get_data(in, 1, v.payload);
    idlrpc::test::detail::get_text(in, 2, v.peer);
    idlrpc::test::detail::get_text(in, 3, v.user_agent);
  }
};
