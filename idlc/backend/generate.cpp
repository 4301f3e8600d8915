// Placeholder, replaced by the back end (issue 3).
#include "backend/generate.hpp"

#include <stdexcept>

namespace idlc::backend {

std::vector<OutputFile> generate(const model::Program&, const model::File&, const GenerateOptions&) {
  throw std::runtime_error("code generation is not implemented yet");
}

}  // namespace idlc::backend
