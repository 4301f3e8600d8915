// Clang-style diagnostics: `path:line:col: error: message`, the source line
// and a caret under the column. Message texts live in diagnostic_kinds.def.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "frontend/source_file.hpp"

namespace idlc::frontend {

enum class Severity { Error, Warning, Note };

enum class DiagnosticId {
#define IDLC_DIAGNOSTIC(Id, Level, Text) Id,
#include "frontend/diagnostic_kinds.def"
#undef IDLC_DIAGNOSTIC
};

/// Where a diagnostic points: a byte offset in a file, or nowhere (file is
/// null) for problems outside any source, like an unreadable file.
struct SourceRef {
  const SourceFile* file = nullptr;
  std::size_t offset = 0;
};

class Diagnostics {
 public:
  /// Clang stops after 20 errors too: past that, later errors are mostly
  /// consequences of earlier ones.
  static constexpr unsigned kDefaultErrorLimit = 20;

  explicit Diagnostics(std::ostream& out, unsigned error_limit = kDefaultErrorLimit);

  template <class... Args>
  void report(DiagnosticId id, SourceRef where, const Args&... args) {
    emit(id, where, fmt::vformat(text_of(id), fmt::make_format_args(args...)));
  }

  unsigned error_count() const { return errors_; }
  unsigned warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }

 private:
  static std::string_view text_of(DiagnosticId id);
  void emit(DiagnosticId id, SourceRef where, const std::string& message);

  std::ostream& out_;
  unsigned error_limit_;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
  bool suppressing_ = false;  // the last error or warning was not shown, so neither are its notes
};

}  // namespace idlc::frontend
