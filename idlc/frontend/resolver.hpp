// Second semantic pass: resolves every field type and rpc argument and
// result to the declaration it names, once all files are declared, and
// checks their use: arity of list/map, map keys, `optional` on
// containers, rpc types that are not messages, unused imports.
#pragma once

#include "frontend/analysis.hpp"

namespace idlc::frontend {

void resolve_references(Analysis& analysis);

}  // namespace idlc::frontend
