// The debug form for people: idlrpc::to_string(message) and
// fmt::format("{}", message_or_enum). How each field prints is
// debug_writer.hpp.
#pragma once

#include <string>

// fmt::format is compiled in libfmt (fmt::vformat): only core.h here, and
// no format_to(back_inserter), whose engine each file would otherwise
// instantiate and optimize again (measured: issue 18).
#include <fmt/core.h>

#include "idlrpc/wire/debug_writer.hpp"
#include "idlrpc/wire/traits.hpp"

namespace idlrpc {

/// The debug form of any generated message.
template <Message T>
std::string to_string(const T& value) {
  std::string out;
  MessageTraits<T>::print(value, out);
  return out;
}

/// Base of the fmt::formatter of messages and enums (below), so they work
/// in fmt::format("{}", value). Accepts only "{}".
template <class T>
struct DebugFormatter {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  template <class FormatContext>
  auto format(const T& value, FormatContext& ctx) const {
    std::string text;
    wire::detail::print_value(text, value);
    auto out = ctx.out();
    for (const char c : text) *out++ = c;
    return out;
  }
};

}  // namespace idlrpc

/// `fmt::format("{}", message)` for every generated message and enum: one
/// partial specialization here instead of one per type in the generated
/// headers, which then need no fmt (a file that only uses the types does
/// not parse it).
template <class T>
  requires idlrpc::Message<T> || idlrpc::wire::detail::NamedEnum<T>
struct fmt::formatter<T> : idlrpc::DebugFormatter<T> {};
