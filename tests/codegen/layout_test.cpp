// idlc's struct layout: hand-checked cases, agreement between the general
// allocator and the compile-time map-entry layout, and the oracle: the capnp
// compiler's own layout of every schema idlc emits for the corpus.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <unistd.h>

#include <idlrpc/message.hpp>

#include "backend/generate.hpp"
#include "backend/layout.hpp"
#include "backend/names.hpp"
#include "fixtures.hpp"

namespace {

using idlc::backend::layout_fields;
using idlc::backend::Slot;

TEST(StructLayout, FillsHolesSmallestFirst) {
  // bool @0, int32 @1, int8 @2, int64 @3, int16 @4, uint8 @5
  const auto layout = layout_fields({{1, 0}, {2, 5}, {3, 3}, {4, 6}, {5, 4}, {6, 3}});
  EXPECT_EQ(layout.data_words, 3);
  EXPECT_EQ(layout.pointers, 0);
  EXPECT_EQ(layout.fields[0].kind, Slot::Kind::Bit);
  EXPECT_EQ(layout.fields[0].offset, 0u);  // bit 0
  EXPECT_EQ(layout.fields[1].offset, 1u);  // bits [32, 64)
  EXPECT_EQ(layout.fields[2].offset, 1u);  // bits [8, 16)
  EXPECT_EQ(layout.fields[3].offset, 1u);  // bits [64, 128): a new word
  EXPECT_EQ(layout.fields[4].offset, 1u);  // bits [16, 32)
  EXPECT_EQ(layout.fields[5].offset, 16u);  // bits [128, 136): the 8-bit hole went to int8
}

TEST(StructLayout, FollowsNumbersNotDeclarationOrder) {
  // Declared as: string #3, int32 #2, bytes #1.
  const auto layout = layout_fields({{3, -1}, {2, 5}, {1, -1}});
  EXPECT_EQ(layout.fields[2].offset, 0u);
  EXPECT_EQ(layout.fields[0].offset, 1u);
  EXPECT_EQ(layout.fields[1].offset, 0u);
  EXPECT_EQ(layout.pointers, 2);
  EXPECT_EQ(layout.data_words, 1);
}

TEST(StructLayout, EmptyStructTakesNoSpace) {
  const auto layout = layout_fields({});
  EXPECT_EQ(layout.data_words, 0);
  EXPECT_EQ(layout.pointers, 0);
}

// wire::entry_layout<K, V> (compile time, used by the map codec) must agree
// with the general allocator (used for the schema) for every key/value kind.
template <class K, class V>
void expect_entry_layout_agrees() {
  constexpr auto wire = idlrpc::wire::entry_layout<K, V>();
  const int key_lg = idlrpc::wire::slot_lg_size<K>();
  const int value_lg = idlrpc::wire::slot_lg_size<V>();
  const auto general = layout_fields({{1, key_lg}, {2, value_lg}});
  SCOPED_TRACE(testing::Message() << "key lg " << key_lg << ", value lg " << value_lg);
  EXPECT_EQ(wire.key.offset, general.fields[0].offset);
  EXPECT_EQ(wire.value.offset, general.fields[1].offset);
  EXPECT_EQ(wire.size.data_words, general.data_words);
  EXPECT_EQ(wire.size.pointers, general.pointers);
}

template <class K, class... Vs>
void expect_entry_layouts_for_key() {
  (expect_entry_layout_agrees<K, Vs>(), ...);
}

template <class... Ks>
void expect_entry_layouts() {
  (expect_entry_layouts_for_key<Ks, bool, std::int8_t, std::uint8_t, std::int16_t, std::uint16_t, std::int32_t,
                                std::uint32_t, float, std::int64_t, std::uint64_t, double, std::string,
                                idlrpc::Bytes, std::vector<std::int32_t>>(),
   ...);
}

TEST(EntryLayout, AgreesWithGeneralAllocator) {
  expect_entry_layouts<bool, std::int8_t, std::uint8_t, std::int16_t, std::uint16_t, std::int32_t, std::uint32_t,
                       std::int64_t, std::uint64_t, std::string>();
}

// ---- The oracle: `capnp compile -ocapnp` prints every struct's layout.

struct CapnpField {
  bool pointer = false;
  std::uint32_t from = 0, to = 0;  // bits[from, to) or ptr[from]
};
struct CapnpStruct {
  std::uint32_t bytes = 0, pointers = 0;
  std::map<std::string, CapnpField> fields;
};

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  pclose(pipe);
  return output;
}

// Structs by dotted schema path ("Everything.Inner").
std::map<std::string, CapnpStruct> parse_capnp_layout(const std::string& text) {
  static const std::regex struct_line(R"(^\s*struct (\w+) @0x[0-9a-f]+ \{  # (\d+) bytes, (\d+) ptrs)");
  static const std::regex open_line(R"(^\s*(enum|interface) (\w+) .*\{)");
  static const std::regex bits_field(R"(^\s*(\w+) @\d+ :.*;  # bits\[(\d+), (\d+)\))");
  static const std::regex ptr_field(R"(^\s*(\w+) @\d+ :.*;  # ptr\[(\d+)\])");
  std::map<std::string, CapnpStruct> structs;
  std::vector<std::string> path;
  std::istringstream lines(text);
  std::string line;
  std::smatch m;
  auto current = [&] {
    std::string joined;
    for (const auto& part : path) joined += (joined.empty() ? "" : ".") + part;
    return joined;
  };
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, struct_line)) {
      path.push_back(m[1]);
      structs[current()] = CapnpStruct{static_cast<std::uint32_t>(std::stoul(m[2])),
                                       static_cast<std::uint32_t>(std::stoul(m[3])), {}};
    } else if (std::regex_search(line, m, open_line)) {
      path.push_back(m[2]);
    } else if (line.find_first_not_of(' ') != std::string::npos && line[line.find_first_not_of(' ')] == '}') {
      path.pop_back();
    } else if (std::regex_search(line, m, bits_field)) {
      structs[current()].fields[m[1]] = {false, static_cast<std::uint32_t>(std::stoul(m[2])),
                                         static_cast<std::uint32_t>(std::stoul(m[3]))};
    } else if (std::regex_search(line, m, ptr_field)) {
      const auto index = static_cast<std::uint32_t>(std::stoul(m[2]));
      structs[current()].fields[m[1]] = {true, index, index};
    }
  }
  return structs;
}

void expect_slot(const CapnpStruct& capnp, const std::string& name, const Slot& slot) {
  SCOPED_TRACE(name);
  const auto it = capnp.fields.find(name);
  ASSERT_NE(it, capnp.fields.end());
  if (slot.kind == Slot::Kind::Pointer) {
    EXPECT_TRUE(it->second.pointer);
    EXPECT_EQ(it->second.from, slot.offset);
  } else {
    EXPECT_FALSE(it->second.pointer);
    EXPECT_EQ(it->second.from, slot.offset << slot.lg_size);
    EXPECT_EQ(it->second.to, (slot.offset + 1) << slot.lg_size);
  }
}

void expect_message_matches(const idlc::model::Message& message, const std::string& parent_path,
                            const std::map<std::string, CapnpStruct>& capnp) {
  using idlc::backend::capnp_type_name;
  const std::string path = (parent_path.empty() ? "" : parent_path + ".") + capnp_type_name(message.name);
  SCOPED_TRACE(path);
  const auto found = capnp.find(path);
  ASSERT_NE(found, capnp.end());
  const auto layout = idlc::backend::layout_message(message);
  EXPECT_EQ(found->second.bytes, layout.data_words * 8u);
  EXPECT_EQ(found->second.pointers, layout.pointers);
  for (std::size_t i = 0; i < message.fields.size(); ++i) {
    const auto& field = message.fields[i];
    expect_slot(found->second, idlc::backend::capnp_field_name(field.name), layout.fields[i]);
    if (field.type.kind == idlc::model::Type::Kind::Map) {  // its Entry struct, nested in the message
      const std::string entry = path + "." + idlc::backend::pascal_case(field.name) + "Entry";
      SCOPED_TRACE(entry);
      const auto entry_found = capnp.find(entry);
      ASSERT_NE(entry_found, capnp.end());
      const auto entry_layout = layout_fields({{1, idlc::backend::field_lg_size(field.type.params[0], false)},
                                               {2, idlc::backend::field_lg_size(field.type.params[1], false)}});
      EXPECT_EQ(entry_found->second.bytes, entry_layout.data_words * 8u);
      EXPECT_EQ(entry_found->second.pointers, entry_layout.pointers);
      expect_slot(entry_found->second, "key", entry_layout.fields[0]);
      expect_slot(entry_found->second, "value", entry_layout.fields[1]);
    }
  }
  for (const auto& nested : message.messages) expect_message_matches(*nested, path, capnp);
}

TEST(LayoutOracle, MatchesCapnpCompilerForEveryCorpusMessage) {
  const auto dir = std::filesystem::temp_directory_path() / ("idlrpc_layout_oracle_" + std::to_string(getpid()));
  std::size_t messages_checked = 0;
  for (const auto& fixture : codegen_test::all_fixtures()) {
    SCOPED_TRACE(fixture.name);
    std::vector<std::string> schemas;
    for (const auto& file : fixture.program->files) {
      idlc::backend::GenerateOptions options;
      options.emit_capnp = true;
      for (const auto& output : idlc::backend::generate(*file, options)) {
        const auto path = dir / output.relative_path;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << output.contents;
        if (path.extension() == ".capnp") schemas.push_back(output.relative_path.generic_string());
      }
    }
    for (const auto& file : fixture.program->files) {
      const std::string schema = idlc::backend::capnp_path(*file);
      const std::string output = run("cd '" + dir.string() + "' && " CODEGEN_CAPNP " compile -ocapnp " + schema + " 2>&1");
      const auto capnp = parse_capnp_layout(output);
      ASSERT_FALSE(capnp.empty()) << output;
      for (const auto& message : file->messages) {
        expect_message_matches(*message, "", capnp);
        ++messages_checked;
      }
    }
  }
  std::filesystem::remove_all(dir);
  EXPECT_GE(messages_checked, 10u);
}

}  // namespace

namespace {

// docs/wire-format.md: turning a field into `reserved T N;` keeps every
// other field's slot. Reserving a middle int16 without its type used to
// move a later int32 from bits [64, 96) to [32, 64) in capnp's layout of
// the emitted schema. The real idlc and the capnp compiler, end to end.
std::map<std::string, CapnpStruct> compile_and_lay_out(const std::filesystem::path& dir, const std::string& idl) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "evolution.idl", std::ios::binary) << idl;
  const std::string output = run("cd '" + dir.string() + "' && " CODEGEN_IDLC
                                 " --emit-capnp -o . evolution.idl 2>&1 && " CODEGEN_CAPNP
                                 " compile -ocapnp evolution.capnp 2>&1");
  return parse_capnp_layout(output);
}

TEST(LayoutOracle, TypedReservationKeepsTheSlotsOfLaterFields) {
  const auto dir = std::filesystem::temp_directory_path() / ("idlrpc_reserved_" + std::to_string(getpid()));
  const auto before = compile_and_lay_out(dir / "v1", R"(
    message Event { int32 id = 1; int16 kind = 2; int32 late = 3; string note = 4; bytes old = 5; string last = 6; }
  )");
  const auto after = compile_and_lay_out(dir / "v2", R"(
    message Event { int32 id = 1; reserved int16 2; int32 late = 3; string note = 4; reserved bytes 5; string last = 6; }
  )");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(before.count("Event"), 1u);
  ASSERT_EQ(after.count("Event"), 1u);
  const CapnpField& late_before = before.at("Event").fields.at("late");
  EXPECT_EQ(late_before.from, 64u);
  EXPECT_EQ(late_before.to, 96u);
  for (const char* name : {"id", "late", "note", "last"}) {
    SCOPED_TRACE(name);
    ASSERT_EQ(after.at("Event").fields.count(name), 1u);
    const CapnpField& was = before.at("Event").fields.at(name);
    const CapnpField& is = after.at("Event").fields.at(name);
    EXPECT_EQ(is.pointer, was.pointer);
    EXPECT_EQ(is.from, was.from);
    EXPECT_EQ(is.to, was.to);
  }
  EXPECT_EQ(after.at("Event").bytes, before.at("Event").bytes);
  EXPECT_EQ(after.at("Event").pointers, before.at("Event").pointers);
}

TEST(StructLayout, TypedReservationTakesItsSlotInIdlcsLayout) {
  // message { int32 id = 1; reserved int16 2; int32 late = 3; }
  idlc::model::Message message;
  message.name = "Event";
  auto add = [](std::vector<idlc::model::Field>& fields, std::uint32_t number, idlc::model::Scalar scalar) {
    idlc::model::Field& field = fields.emplace_back();
    field.number = number;
    field.type.kind = idlc::model::Type::Kind::Scalar;
    field.type.scalar = scalar;
  };
  add(message.fields, 1, idlc::model::Scalar::Int32);
  add(message.reserved_fields, 2, idlc::model::Scalar::Int16);
  add(message.fields, 3, idlc::model::Scalar::Int32);
  message.reserved = {2};
  const auto layout = idlc::backend::layout_message(message);
  ASSERT_EQ(layout.fields.size(), 2u);  // the reservation has a slot, not an entry
  EXPECT_EQ(layout.fields[1].offset << layout.fields[1].lg_size, 64u);
  EXPECT_EQ(layout.data_words, 2);
}

}  // namespace
