// The names of the Cap'n Proto schema idlc emits for each file
// (docs/wire-format.md, "Names in the schema") must be valid and distinct
// there, and capnp's own C++ for that schema must compile. The schema
// spells names differently (camelCase fields, no underscores) and invents
// some (map `<Field>Entry` structs, `Optional<T>` boxes), so names that
// are distinct in the IDL can collide there. Runs after the resolver: the
// invented names depend on the field types. (A same-file reference that a
// nested name captures in the schema is not an error: the back end spells
// it through a self-import.)
#pragma once

#include "frontend/analysis.hpp"

namespace idlc::frontend {

void check_capnp_names(Analysis& analysis);

}  // namespace idlc::frontend
