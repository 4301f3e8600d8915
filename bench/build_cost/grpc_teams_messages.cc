// Uses only the message types of teams.proto (bench/build-cost).
#include "teams.pb.h"

int main() {
  teams::TeamRequest request;
  request.set_city("Chicago");
  return request.city().size() == 7 ? 0 : 1;
}
