// generate_order_model OUTDIR: writes idlc's output (with --emit-capnp) for
// the benchmark's message, the model of:
//
//   package bench;
//   message Order {
//     uint64 id = 1;  string customer = 2;  string email = 3;
//     int32 quantity = 4;  double price = 5;  list<string> tags = 6;
//     list<int64> item_ids = 7;  bool express = 8;
//   }
//
// (Built by hand until idlc's front end can read order.idl.)
#include <filesystem>
#include <fstream>
#include <iostream>

#include "backend/generate.hpp"
#include "model_builder.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: generate_order_model OUTDIR\n";
    return 2;
  }
  using namespace codegen_test;
  using idlc::model::Scalar;
  idlc::model::Program program;
  auto& file = add_file(program, "order.idl", {"bench"});
  auto& order = add_message(file, "Order");
  add_field(order, "id", 1, scalar(Scalar::UInt64));
  add_field(order, "customer", 2, scalar(Scalar::String));
  add_field(order, "email", 3, scalar(Scalar::String));
  add_field(order, "quantity", 4, scalar(Scalar::Int32));
  add_field(order, "price", 5, scalar(Scalar::Float64));
  add_field(order, "tags", 6, list_of(scalar(Scalar::String)));
  add_field(order, "item_ids", 7, list_of(scalar(Scalar::Int64)));
  add_field(order, "express", 8, scalar(Scalar::Bool));
  program.roots = {&file};

  idlc::backend::GenerateOptions options;
  options.emit_capnp = true;
  for (const auto& output : idlc::backend::generate(program, file, options)) {
    std::ofstream(std::filesystem::path(argv[1]) / output.relative_path, std::ios::binary) << output.contents;
  }
  return 0;
}
