// A file that uses only the message types (header_diet.cmake).
#include "teams.idl.messages.h"

int main() { return teams::TeamRequest{.city = "Lyon"}.city.size() == 4 ? 0 : 1; }
