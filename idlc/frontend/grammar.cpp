// The only translation unit that compiles the grammar's templates.
#include "frontend/grammar_def.hpp"

namespace idlc::frontend::grammar {

BOOST_SPIRIT_INSTANTIATE(file_type, iterator_type, context_type)

const file_type& file() { return idl_file; }

}  // namespace idlc::frontend::grammar
