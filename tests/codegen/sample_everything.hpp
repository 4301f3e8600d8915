// One interop::Everything that uses every type: extremes of every scalar,
// empty and non-ASCII strings, bytes with 0x00 and 0xff, lists of each
// kind, nested, recursive and imported messages, an enum value this schema
// does not name, optionals set (to zero / empty) and unset, and maps.
#pragma once

#include <cmath>
#include <limits>

#include "everything.idl.h"

namespace codegen_test {

inline interop::Everything::Inner sample_leaf() { return {.name = "leaf", .value = -1}; }

inline interop::Everything::Inner sample_inner() {
  return {.name = "",  // empty: left null on the wire
          .value = 7,
          .child = sample_leaf(),
          .children = {sample_leaf(), interop::Everything::Inner{.name = "c2"}}};
}

inline interop::Everything sample_everything() {
  using interop::Color;
  using interop::Everything;
  return Everything{
      .flag = true,
      .i8 = std::numeric_limits<std::int8_t>::min(),
      .i16 = std::numeric_limits<std::int16_t>::min(),
      .i32 = std::numeric_limits<std::int32_t>::min(),
      .i64 = std::numeric_limits<std::int64_t>::min(),
      .u8 = std::numeric_limits<std::uint8_t>::max(),
      .u16 = std::numeric_limits<std::uint16_t>::max(),
      .u32 = std::numeric_limits<std::uint32_t>::max(),
      .u64 = std::numeric_limits<std::uint64_t>::max(),
      .f32 = std::numeric_limits<float>::lowest(),
      .f64 = std::numeric_limits<double>::denorm_min(),
      .text = "h\u00e9llo, w\u00f6rld \u2713 \u65e5\u672c",
      .blob = {0x00, 0x01, 0xff, 0x80},
      .color = Color::DEEP_BLUE,
      .ints = {0, -1, std::numeric_limits<std::int32_t>::max()},
      .bools = {true, false, true, true, false, false, false, false, true},
      .names = {"", "ascii", "\u00fcn\u00efcode"},
      .inners = {sample_leaf(), sample_inner()},
      .blobs = {{}, {0x00}},
      .colors = {Color::RED, Color::DEEP_BLUE, static_cast<Color>(3)},
      .matrix = {{1, 2}, {}, {3}},
      .doubles = {0.5, -0.0, std::numeric_limits<double>::infinity()},
      .inner = sample_inner(),
      .where = {.lat = 48.8566, .lon = 2.3522, .label = "Paris"},
      .maybe_int = 0,
      .maybe_text = "",
      .maybe_inner = std::nullopt,
      .maybe_color = Color::GREEN,
      .maybe_flag = false,
      .maybe_unit = std::nullopt,
      .maybe_bytes = idlrpc::Bytes{},
      .scores = {{"a", 1}, {"b", -2}, {"\u00e9", 3}},
      .by_id = {{-5, sample_leaf()}, {9, Everything::Inner{}}},
      .small = {{0, true}, {255, false}},
      .nested_map = {{"x", {{"y", 1.5}}}, {"z", {}}},
      .list_of_maps = {{{1, "one"}}, {}},
      .late = 1e300,
      .unit = interop::geo::Unit::FEET,
      .tiny = 42,
  };
}

}  // namespace codegen_test
