// Source text to syntax tree: the scanner's lexical checks, then the X3
// grammar.
#pragma once

#include <optional>

#include "frontend/ast.hpp"
#include "frontend/diagnostics.hpp"
#include "frontend/scanner.hpp"

namespace idlc::frontend {

/// Parses `file`. On success returns its declarations and fills `docs`
/// with its doc comments; otherwise reports the (first) syntax error and
/// returns nothing.
std::optional<ast::File> parse(const SourceFile& file, Diagnostics& diagnostics, DocComments& docs);

}  // namespace idlc::frontend
