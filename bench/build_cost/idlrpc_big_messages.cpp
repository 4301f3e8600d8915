// Uses only the message types of the 50-message big.idl (bench/build-cost).
#include "big.idl.messages.h"

int main() {
  big::M50 message;
  message.label = "fifty";
  message.tags.push_back("one");
  return message.label.size() == 5 ? 0 : 1;
}
