// The Cap'n Proto schema spelling of IDL names (docs/wire-format.md, "Names
// in the schema"): capnp forbids underscores and wants types capitalized,
// fields and enumerants lowercase-first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace idlc::naming {

/// snake_case field name -> camelCase schema name: "home_city" -> "homeCity".
std::string capnp_field_name(std::string_view name);
/// Enumerant -> camelCase: "NORTH" -> "north", "DIVISION_NORTH" -> "divisionNorth".
std::string capnp_enumerant_name(std::string_view name);
/// Type name -> capitalized, without underscores: "team_info" -> "TeamInfo".
std::string capnp_type_name(std::string_view name);
/// "home_city" -> "HomeCity", for names idlc invents from field names.
std::string pascal_case(std::string_view name);

/// The schema name of a scalar type: "Int32", "Text", "Data".
std::string capnp_scalar_name(model::Scalar scalar);

/// The schema names of a declaration and its enclosing messages, outermost
/// first: TeamResponse.Stats -> {"TeamResponse", "Stats"}.
std::vector<std::string> capnp_schema_path(const model::TypeDecl& decl);

/// An optional scalar or enum travels in a one-field struct declared at the
/// top of the schema: "OptionalInt32", "OptionalTeamDivision" (nested enum
/// names joined). Only for types that are not pointers already.
std::string capnp_optional_box_name(const model::Type& type);

/// Whether an `optional` field of this type needs such a box: scalars other
/// than string and bytes, and enums.
bool needs_optional_box(const model::Type& type);

}  // namespace idlc::naming
