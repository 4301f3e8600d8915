// Uses only the message types of teams.idl (bench/build-cost).
#include "teams.idl.messages.h"

int main() {
  teams::TeamRequest request{.city = "Chicago"};
  return request.city.size() == 7 ? 0 : 1;
}
