#include "backend/layout.hpp"

#include <algorithm>
#include <numeric>

namespace idlc::backend {

std::optional<std::uint32_t> StructLayout::try_allocate_hole(int lg_size) {
  if (lg_size >= 6) return std::nullopt;
  if (holes_[lg_size] != 0) {
    const std::uint32_t offset = holes_[lg_size];
    holes_[lg_size] = 0;
    return offset;
  }
  // Split the next larger hole: take its first half, keep the second.
  if (const auto larger = try_allocate_hole(lg_size + 1)) {
    const std::uint32_t offset = *larger * 2;
    holes_[lg_size] = offset + 1;
    return offset;
  }
  return std::nullopt;
}

void StructLayout::add_holes_at_end(int lg_size, std::uint32_t offset) {
  // After a field of 2^lg_size bits at the start of a new word, the rest of
  // the word is one hole of each larger size up to 32 bits.
  for (; lg_size < 6; ++lg_size) {
    holes_[lg_size] = offset;
    offset = (offset + 1) / 2;
  }
}

Slot StructLayout::add_data(int lg_size) {
  const Slot::Kind kind = lg_size == 0 ? Slot::Kind::Bit : Slot::Kind::Data;
  if (const auto hole = try_allocate_hole(lg_size)) return Slot{kind, lg_size, *hole};
  const std::uint32_t offset = static_cast<std::uint32_t>(data_words_++) << (6 - lg_size);
  add_holes_at_end(lg_size, offset + 1);
  return Slot{kind, lg_size, offset};
}

Slot StructLayout::add_pointer() { return Slot{Slot::Kind::Pointer, 0, pointers_++}; }

int field_lg_size(const model::Type& type, bool optional) {
  if (optional) return -1;
  switch (type.kind) {
    case model::Type::Kind::Enum:
      return 4;
    case model::Type::Kind::Message:
    case model::Type::Kind::List:
    case model::Type::Kind::Map:
      return -1;
    case model::Type::Kind::Scalar:
      break;
  }
  switch (type.scalar) {
    case model::Scalar::Bool: return 0;
    case model::Scalar::Int8:
    case model::Scalar::UInt8: return 3;
    case model::Scalar::Int16:
    case model::Scalar::UInt16: return 4;
    case model::Scalar::Int32:
    case model::Scalar::UInt32:
    case model::Scalar::Float32: return 5;
    case model::Scalar::Int64:
    case model::Scalar::UInt64:
    case model::Scalar::Float64: return 6;
    case model::Scalar::String:
    case model::Scalar::Bytes: return -1;
  }
  return -1;
}

MessageLayout layout_fields(const std::vector<std::pair<std::uint32_t, int>>& fields) {
  std::vector<std::size_t> by_number(fields.size());
  std::iota(by_number.begin(), by_number.end(), std::size_t{0});
  std::sort(by_number.begin(), by_number.end(),
            [&](std::size_t a, std::size_t b) { return fields[a].first < fields[b].first; });

  StructLayout layout;
  MessageLayout result;
  result.fields.resize(fields.size());
  for (const std::size_t i : by_number) {
    const int lg_size = fields[i].second;
    result.fields[i] = lg_size < 0 ? layout.add_pointer() : layout.add_data(lg_size);
  }
  result.data_words = layout.data_words();
  result.pointers = layout.pointers();
  return result;
}

MessageLayout layout_message(const model::Message& message) {
  std::vector<std::pair<std::uint32_t, int>> fields;
  fields.reserve(message.fields.size() + message.reserved_fields.size());
  for (const model::Field& field : message.fields) {
    fields.emplace_back(field.number, field_lg_size(field.type, field.optional));
  }
  // `reserved T N;` keeps its slot: allocated like the field it was, then
  // dropped from the result.
  for (const model::Field& field : message.reserved_fields) {
    fields.emplace_back(field.number, field_lg_size(field.type, field.optional));
  }
  MessageLayout layout = layout_fields(fields);
  layout.fields.resize(message.fields.size());
  return layout;
}

}  // namespace idlc::backend
