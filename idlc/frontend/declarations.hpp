// First semantic pass over one file: builds the model's messages, enums,
// fields and services, enters every type and service into the symbol
// table, and checks what needs no type resolution: names (duplicates, C++
// keywords and clashes), the package, field numbers, reserved numbers and
// enum values. Field types and rpc arguments are left to resolver.hpp.
#pragma once

#include "frontend/analysis.hpp"

namespace idlc::frontend {

/// `file.model` already has its path, relative_path and imports.
void declare_file(FileContext& file, Analysis& analysis);

}  // namespace idlc::frontend
