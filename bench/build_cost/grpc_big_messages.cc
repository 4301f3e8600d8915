// Uses only the message types of the 50-message big.proto (bench/build-cost).
#include "big.pb.h"

int main() {
  big::M50 message;
  message.set_label("fifty");
  message.add_tags("one");
  return message.label().size() == 5 ? 0 : 1;
}
