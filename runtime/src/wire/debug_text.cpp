// The scalar printers of the debug form (idlrpc/wire/debug_writer.hpp):
// {fmt} formats numbers and quotes strings here, once, for every generated
// print function, which then needs no fmt of its own (issue 18).
#include <iterator>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "idlrpc/wire/debug_writer.hpp"

namespace idlrpc::wire::detail {

void append_number(std::string& out, long long value) { fmt::format_to(std::back_inserter(out), "{}", value); }
void append_number(std::string& out, unsigned long long value) {
  fmt::format_to(std::back_inserter(out), "{}", value);
}
void append_number(std::string& out, float value) { fmt::format_to(std::back_inserter(out), "{}", value); }
void append_number(std::string& out, double value) { fmt::format_to(std::back_inserter(out), "{}", value); }
void append_quoted(std::string& out, std::string_view value) { fmt::format_to(std::back_inserter(out), "{:?}", value); }

}  // namespace idlrpc::wire::detail
