// Encodes an Order with the installed runtime, decodes it back, and checks
// that the generated client and service types exist and link; uses the
// messages of the IMPORT_DIRS and STRIP_PREFIX libraries.
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdio>
#include <string>
#include <type_traits>

#include "inventory/stock.idl.h"
#include "kv.idl.h"
#include "shop.idl.h"

int main() {
  shop::Order order{.items = {{.name = "tea", .quantity = 2, .price = {.currency = "EUR", .cents = 350}},
                              {.name = "scone", .quantity = 1, .price = {.currency = "EUR", .cents = 275}}}};

  capnp::MallocMessageBuilder builder;
  idlrpc::wire::encode(builder.getRoot<capnp::AnyPointer>(), order);
  auto words = capnp::messageToFlatArray(builder);

  capnp::FlatArrayMessageReader reader(words);
  shop::Order decoded;
  idlrpc::wire::decode(reader.getRoot<capnp::AnyPointer>(), decoded);

  static_assert(std::is_constructible_v<shop::Checkout::Client, idlrpc::Channel>);
  static_assert(std::is_base_of_v<idlrpc::Service, shop::Checkout::Service>);
  const kv::Entry entry{.key = "k", .value = "v", .written = {.unix_ms = 42}};
  const inventory::Stock stock{.sku = "tea", .count = 3};
  if (idlrpc::to_string(entry).find("42") == std::string::npos || stock.count != 3) {
    std::puts("consumer: kv or inventory messages are wrong");
    return 1;
  }
  if (!(decoded == order)) {
    std::puts("consumer: decoded order differs");
    return 1;
  }
  std::puts("consumer: ok");
  return 0;
}
