// The data the templates render: views of one IDL file built from the
// model and the computed layouts. The C++ here decides names, types and
// offsets; the shape of the output lives in templates/.
#pragma once

#include <kainjow/mustache.hpp>

#include "model/model.hpp"

namespace idlc::backend {

/// For templates/header.mustache and templates/source.mustache.
kainjow::mustache::data cpp_view(const model::File& file);

/// For templates/capnp.mustache. Throws std::runtime_error when a name idlc
/// must invent for the schema (an Entry or Optional struct) collides with a
/// declared one.
kainjow::mustache::data capnp_view(const model::File& file);

/// A doc comment as a list of {text} lines, each " line" or "" (so that
/// `///{{text}}` leaves no trailing space on empty lines).
kainjow::mustache::data doc_view(const std::string& doc);

}  // namespace idlc::backend
