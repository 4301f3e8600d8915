// The built-in scalar type names of the IDL.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "model/model.hpp"

namespace idlc::frontend {

inline constexpr std::array<std::pair<std::string_view, model::Scalar>, 15> kScalarNames = {{
    {"bool", model::Scalar::Bool},       {"int8", model::Scalar::Int8},       {"int16", model::Scalar::Int16},
    {"int32", model::Scalar::Int32},     {"int64", model::Scalar::Int64},     {"uint8", model::Scalar::UInt8},
    {"uint16", model::Scalar::UInt16},   {"uint32", model::Scalar::UInt32},   {"uint64", model::Scalar::UInt64},
    {"float32", model::Scalar::Float32}, {"float64", model::Scalar::Float64}, {"float", model::Scalar::Float32},
    {"double", model::Scalar::Float64},  {"string", model::Scalar::String},   {"bytes", model::Scalar::Bytes},
}};

inline std::optional<model::Scalar> scalar_named(std::string_view name) {
  for (const auto& [spelling, scalar] : kScalarNames) {
    if (spelling == name) return scalar;
  }
  return std::nullopt;
}

/// Map keys: the integer types, bool and string (hashable, exact equality).
inline bool is_valid_map_key(model::Scalar scalar) {
  return scalar != model::Scalar::Float32 && scalar != model::Scalar::Float64 && scalar != model::Scalar::Bytes;
}

}  // namespace idlc::frontend
