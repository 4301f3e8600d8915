#include "frontend/parser.hpp"

#include <cctype>

#include <fmt/format.h>

#include "frontend/grammar_context.hpp"
#include "frontend/grammar.hpp"

namespace idlc::frontend {
namespace {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The token at `offset`, quoted, for "expected X before 'token'".
std::string describe_token(std::string_view text, std::size_t offset) {
  constexpr std::size_t kMaxShown = 40;
  std::size_t end = offset + 1;
  if (is_identifier_char(text[offset])) {
    while (end < text.size() && is_identifier_char(text[end])) ++end;
  } else if (text[offset] == '"') {
    return "string";
  }
  std::string_view token = text.substr(offset, std::min(end - offset, kMaxShown));
  return fmt::format("'{}'{}", token, end - offset > kMaxShown ? "..." : "");
}

}  // namespace

void grammar::ParserCallbacks::expected(std::string_view what, iterator_type where) {
  std::string_view text = file_.text();
  // X3 reports the position before the blanks that precede the token.
  std::size_t offset = skip_blanks(text, static_cast<std::size_t>(where - begin_));
  // Literal characters arrive as 'c' already; rule names are shown as is.
  if (offset >= text.size()) {
    // Point just past the last token, where the missing text belongs.
    std::size_t end = text.size();
    while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    diagnostics_.report(DiagnosticId::expected_at_end_of_file, {&file_, end}, what);
  } else {
    diagnostics_.report(DiagnosticId::expected_before, {&file_, offset}, what, describe_token(text, offset));
  }
}

std::optional<ast::File> parse(const SourceFile& file, Diagnostics& diagnostics, DocComments& docs) {
  if (!scan(file, diagnostics, docs)) return std::nullopt;

  grammar::ParserCallbacks callbacks(file, diagnostics);
  const auto parser = grammar::x3::with<grammar::x3::error_handler_tag>(std::ref(callbacks))[grammar::file()];
  grammar::iterator_type last = file.text().data() + file.text().size();
  grammar::iterator_type first = file.text().data() + byte_order_mark_length(file.text());
  ast::File result;
  unsigned errors_before = diagnostics.error_count();
  bool ok = grammar::x3::phrase_parse(first, last, parser, grammar::skipper, result);
  if (ok && first == last) return result;
  // The grammar ends in an expectation of the end of input, so a failure
  // has been reported by on_error; this is a safety net.
  if (diagnostics.error_count() == errors_before) callbacks.expected("a declaration", first);
  return std::nullopt;
}

}  // namespace idlc::frontend
