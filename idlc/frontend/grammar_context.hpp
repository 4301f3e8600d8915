// The types the grammar is instantiated with (grammar.cpp) and called with
// (parser.cpp). BOOST_SPIRIT_INSTANTIATE needs the exact context type of
// the call site, so both sides take it from here.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <type_traits>

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/error_reporting.hpp>

#include "frontend/diagnostics.hpp"

namespace idlc::frontend::grammar {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

/// Whitespace and all comments, `///` included: the scanner has already
/// collected the doc comments by position.
/// (A char set, not x3::space: that calls std::isspace per byte.)
inline const auto skipper = x3::char_(" \t\r\n\f\v")                        //
                            | x3::lexeme["//" >> *(x3::char_ - x3::eol)]     //
                            | x3::lexeme["/*" >> *(x3::char_ - "*/") >> "*/"];
using skipper_type = std::remove_cv_t<decltype(skipper)>;

/// What the grammar calls back into while parsing, reached through
/// x3::error_handler_tag in the context: annotate_on_success calls tag()
/// on every position-tagged node, on_error calls expected().
class ParserCallbacks {
 public:
  ParserCallbacks(const SourceFile& file, Diagnostics& diagnostics)
      : file_(file), begin_(file.text().data()), diagnostics_(diagnostics) {}

  /// Stores byte offsets in the node: they serve every later pass and cost
  /// nothing, where x3::position_cache would keep a vector of iterators.
  template <class Node>
  void tag(Node& node, iterator_type first, iterator_type last) {
    node.id_first = static_cast<int>(first - begin_);
    node.id_last = static_cast<int>(last - begin_);
  }

  /// Reports a syntax error: `what` was expected at `where`.
  void expected(std::string_view what, iterator_type where);

 private:
  const SourceFile& file_;
  iterator_type begin_;
  Diagnostics& diagnostics_;
};

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type =
    x3::context<x3::error_handler_tag, std::reference_wrapper<ParserCallbacks>, phrase_context_type>;

}  // namespace idlc::frontend::grammar
