// Names idlc derives from IDL names: C++ spellings, Cap'n Proto schema
// spellings (docs/wire-format.md, "Names in the schema"), output file paths
// and the schema's file id. Field and value names are used in C++ as
// written: the front end already refused C++ keywords.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "naming/capnp_names.hpp"

namespace idlc::backend {

/// The C++ name of a type at namespace scope: nested types are flattened
/// with '_' (TeamResponse.Stats -> TeamResponse_Stats); the enclosing struct
/// re-exports it under its own name (`using Stats = TeamResponse_Stats;`).
std::string cpp_flat_name(const model::TypeDecl& decl);

/// The C++ namespace of a file, "sports::teams"; empty without a package.
std::string cpp_namespace(const model::File& file);

/// The type seen from anywhere: "::sports::teams::TeamResponse_Stats".
std::string cpp_qualified_name(const model::TypeDecl& decl);

/// The name relative to the package, "TeamResponse.Stats" (debug output).
std::string scoped_name(const model::TypeDecl& decl);

/// The schema spellings of IDL names ("home_city" -> "homeCity"): see
/// naming/capnp_names.hpp, shared with the front end's checks.
using naming::capnp_enumerant_name;
using naming::capnp_field_name;
using naming::capnp_type_name;
using naming::pascal_case;

/// The generated files of `file`: "common/geo.idl" -> "common/geo.idl.h",
/// "common/geo.idl.cpp", "common/geo.capnp". The header includes everything;
/// `part` names one of the lighter headers it is made of ("messages",
/// "blocking", "async": "common/geo.idl.messages.h"; docs/generated-code.md).
std::string header_path(const model::File& file, std::string_view part = {});
std::string source_path(const model::File& file);
std::string capnp_path(const model::File& file);

/// The C++ namespace of capnp's own code for the emitted schema
/// (`$Cxx.namespace`): "idlrpc_capnp::" and the package joined with "::",
/// or, without a package, "idlrpc_capnp::file_" and the relative path
/// without its extension, every run of other characters than ASCII letters
/// and digits turned into one '_' ("common/geo.idl" ->
/// "idlrpc_capnp::file_common_geo"). A root of its own, so that capnp's
/// classes never meet idlc's of the same name.
std::string capnp_cxx_namespace(const model::File& file);

/// The schema's 64-bit file id: FNV-1a of "<package>:<relative path>" with
/// the top bit set (capnp requires it). Stable across runs and machines.
std::uint64_t capnp_file_id(const model::File& file);

/// Splits `text` into lines ("a\nb" -> {"a", "b"}); empty text gives none.
std::vector<std::string> split_lines(std::string_view text);

}  // namespace idlc::backend
