#include "frontend/scanner.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "frontend/utf8.hpp"

namespace idlc::frontend {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::size_t end_of_line(std::string_view text, std::size_t offset) {
  std::size_t end = text.find('\n', offset);
  return end == std::string_view::npos ? text.size() : end;
}

class Scanner {
 public:
  Scanner(const SourceFile& file, Diagnostics& diagnostics, DocComments& docs)
      : file_(file), text_(file.text()), diagnostics_(diagnostics), docs_(docs) {}

  bool run() {
    position_ = byte_order_mark_length(text_);
    while (position_ < text_.size()) {
      char c = text_[position_];
      if (c == '\n') {
        at_line_start_ = true;
        ++position_;
      } else if (is_blank(c)) {
        ++position_;
      } else if (c == '/' && next_is('/')) {
        line_comment();
      } else if (c == '/' && next_is('*')) {
        if (!block_comment()) return false;
      } else if (!token()) {
        return false;
      }
    }
    // A doc comment at the end documents nothing: keyed past the end, no
    // declaration takes it, and DocComments::warn_unattached says so.
    if (has_pending_doc_) docs_.add(text_.size(), pending_doc_offset_, std::move(pending_doc_));
    return !failed_;
  }

 private:
  bool next_is(char c) const { return position_ + 1 < text_.size() && text_[position_ + 1] == c; }
  SourceRef at(std::size_t offset) const { return {&file_, offset}; }

  // `///` starts a doc comment only as the first thing on its line: a
  // trailing `/// ...` after a field would otherwise document the next one.
  // `////...` is a plain comment, as in Doxygen (rulers of slashes).
  void line_comment() {
    std::size_t end = end_of_line(text_, position_);
    std::string_view body = text_.substr(position_, end - position_);
    bool is_doc = at_line_start_ && body.size() >= 3 && body[2] == '/' && (body.size() == 3 || body[3] != '/');
    if (is_doc) add_doc_line(body.substr(3));
    position_ = end;
  }

  void add_doc_line(std::string_view line) {
    if (!is_valid_utf8(line)) {
      diagnostics_.report(DiagnosticId::invalid_utf8_in_doc_comment, at(position_));
      failed_ = true;
      return;
    }
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (has_pending_doc_) {
      pending_doc_ += '\n';
    } else {
      pending_doc_offset_ = position_;
    }
    pending_doc_.append(line);
    has_pending_doc_ = true;
  }

  bool block_comment() {
    std::size_t end = text_.find("*/", position_ + 2);
    if (end == std::string_view::npos) {
      diagnostics_.report(DiagnosticId::unterminated_block_comment, at(position_));
      return false;
    }
    position_ = end + 2;
    return true;
  }

  bool token() {
    at_line_start_ = false;
    if (has_pending_doc_) {
      docs_.add(position_, pending_doc_offset_, std::move(pending_doc_));
      pending_doc_.clear();
      has_pending_doc_ = false;
    }
    auto byte = static_cast<unsigned char>(text_[position_]);
    if (byte == '"') return string_literal();
    if (byte >= 0x80) {
      diagnostics_.report(DiagnosticId::non_ascii_outside_comment, at(position_));
      return false;
    }
    if (byte < 0x20 || byte == 0x7f) {
      diagnostics_.report(DiagnosticId::invalid_character, at(position_), fmt::format("(byte 0x{:02X})", byte));
      return false;
    }
    if (byte == '{' || byte == '<' || byte == '(') {
      if (++depth_ > kMaxNestingDepth) {
        diagnostics_.report(DiagnosticId::nesting_too_deep, at(position_), kMaxNestingDepth);
        return false;
      }
    } else if ((byte == '}' || byte == '>' || byte == ')') && depth_ > 0) {
      --depth_;
    }
    ++position_;
    return true;
  }

  // Strings (only import paths use them) stay on one line and have no
  // escapes: a path never needs one.
  bool string_literal() {
    std::size_t begin = position_;
    std::size_t end = begin + 1;
    while (end < text_.size() && text_[end] != '"' && text_[end] != '\n') ++end;
    if (end == text_.size() || text_[end] != '"') {
      diagnostics_.report(DiagnosticId::unterminated_string, at(begin));
      return false;
    }
    std::string_view contents = text_.substr(begin + 1, end - begin - 1);
    if (std::size_t backslash = contents.find('\\'); backslash != std::string_view::npos) {
      diagnostics_.report(DiagnosticId::invalid_escape_in_string, at(begin + 1 + backslash));
      failed_ = true;
    } else if (!is_valid_utf8(contents)) {
      diagnostics_.report(DiagnosticId::invalid_utf8_in_string, at(begin));
      failed_ = true;
    }
    position_ = end + 1;
    return true;
  }

  const SourceFile& file_;
  std::string_view text_;
  Diagnostics& diagnostics_;
  DocComments& docs_;
  std::size_t position_ = 0;
  std::size_t depth_ = 0;
  bool at_line_start_ = true;
  std::string pending_doc_;
  bool has_pending_doc_ = false;
  bool failed_ = false;  // an error that still lets the scan go on, to report the next one
  std::size_t pending_doc_offset_ = 0;
};

}  // namespace

void DocComments::add(std::size_t token_offset, std::size_t comment_offset, std::string text) {
  blocks_.push_back({token_offset, comment_offset, std::move(text)});
}

std::string DocComments::take(std::size_t token_offset) {
  auto block = std::lower_bound(blocks_.begin(), blocks_.end(), token_offset,
                                [](const Block& block, std::size_t offset) { return block.token_offset < offset; });
  if (block == blocks_.end() || block->token_offset != token_offset || block->taken) return {};
  block->taken = true;
  return std::move(block->text);
}

void DocComments::warn_unattached(const SourceFile& file, Diagnostics& diagnostics) const {
  for (const Block& block : blocks_) {
    if (!block.taken) diagnostics.report(DiagnosticId::unattached_doc_comment, {&file, block.comment_offset});
  }
}

bool scan(const SourceFile& file, Diagnostics& diagnostics, DocComments& docs) {
  return Scanner(file, diagnostics, docs).run();
}

std::size_t skip_blanks(std::string_view text, std::size_t offset) {
  while (offset < text.size()) {
    if (is_blank(text[offset])) {
      ++offset;
    } else if (text.substr(offset, 2) == "//") {
      offset = end_of_line(text, offset);
    } else if (text.substr(offset, 2) == "/*") {
      std::size_t end = text.find("*/", offset + 2);
      if (end == std::string_view::npos) return text.size();
      offset = end + 2;
    } else {
      break;
    }
  }
  return offset;
}

}  // namespace idlc::frontend
