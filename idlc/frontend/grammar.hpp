// The IDL grammar's entry rule. Declared here, defined in grammar_def.hpp
// and compiled once, in grammar.cpp, so only that translation unit pays for
// the X3 templates.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "frontend/ast.hpp"

namespace idlc::frontend::grammar {

namespace x3 = boost::spirit::x3;

struct file_class;
using file_type = x3::rule<file_class, ast::File>;
BOOST_SPIRIT_DECLARE(file_type)

/// A whole IDL file: its declarations, then the end of the input.
const file_type& file();

}  // namespace idlc::frontend::grammar
