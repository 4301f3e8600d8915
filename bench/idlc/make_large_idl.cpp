// Writes the benchmark's 5 MB IDL, to time idlc by hand:
//   make_large_idl large.idl && time idlc --check large.idl
#include <fstream>
#include <iostream>

#include "large_idl.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_large_idl OUTPUT.idl\n";
    return 2;
  }
  std::ofstream(argv[1], std::ios::binary) << idlc::bench::make_large_idl();
  return 0;
}
