// The test corpus of the back end: models equivalent to the IDL files the
// comments show, built by hand (model_builder.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace codegen_test {

struct Fixture {
  std::string name;                        // "everything"
  std::unique_ptr<idlc::model::Program> program;
};

/// everything.idl (package interop; every type, gaps, reserved numbers,
/// nested and imported types, optionals, maps) importing common/geo.idl.
std::unique_ptr<idlc::model::Program> everything_program();
/// recursive.idl (no package): self- and mutually-recursive messages.
std::unique_ptr<idlc::model::Program> recursive_program();
/// teams.idl (package sports.teams): the service of docs/generated-code.md.
std::unique_ptr<idlc::model::Program> teams_program();

std::vector<Fixture> all_fixtures();

}  // namespace codegen_test
