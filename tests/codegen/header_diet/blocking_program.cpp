// A blocking client and server, with the headers docs/generated-code.md
// tells them to include (header_diet.cmake).
#include <idlrpc/channel.hpp>
#include <idlrpc/server.hpp>

#include "teams.idl.blocking.h"

int main() { return 0; }
