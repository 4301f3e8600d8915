// What makes a C++ type an idlrpc message, and how the runtime (and users)
// encode and decode one: wire/codec.hpp (encode, decode and what they build
// on), wire/debug.hpp (the debug form: to_string, fmt::format("{}", msg)),
// wire/serialize.hpp (to_bytes/from_bytes). The all-in generated header
// includes this file; the generated .cpp only wire/codec.hpp.
#pragma once

#include "idlrpc/wire/codec.hpp"
#include "idlrpc/wire/debug.hpp"
#include "idlrpc/wire/serialize.hpp"
