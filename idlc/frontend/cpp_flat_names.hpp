// Nested types are defined at namespace scope under their flattened name
// (TeamResponse.Stats -> TeamResponse_Stats, docs/generated-code.md), so a
// top-level `A_B` and a nested `A.B` of the same package would both define
// `A_B`. This check refuses such pairs; it runs once every file's
// declarations are known, since a package spans files.
#pragma once

#include "frontend/analysis.hpp"

namespace idlc::frontend {

void check_cpp_flat_names(Analysis& analysis);

}  // namespace idlc::frontend
