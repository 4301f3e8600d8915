// The order in which a file's message structs can be defined in C++, and
// which fields need a Box to get there.
//
// A struct can be defined only after the types of its by-value members are
// complete. Members of type T, std::optional<T> and std::map<K, T> need T
// complete; std::vector<T> does not (C++17 allows incomplete element types).
// Messages that need each other that way form a cycle (a strongly connected
// component); a field that points into its own message's cycle is held in
// an idlrpc::Box<T>, which breaks the cycle. Every other dependency is
// satisfied by defining dependencies first. Nested messages are defined at
// namespace scope (names.hpp: cpp_flat_name), so nesting adds no constraint.
#pragma once

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "model/model.hpp"

namespace idlc::backend {

struct TypeOrder {
  /// Every message of the file, nested ones included, dependencies first.
  std::vector<const model::Message*> messages;
  /// Fields whose message type must be boxed: (message, index into fields).
  std::set<std::pair<const model::Message*, std::size_t>> boxed_fields;

  /// Index of each message in `messages`.
  std::map<const model::Message*, std::size_t> position;

  bool is_boxed(const model::Message& message, std::size_t field) const {
    return boxed_fields.count({&message, field}) != 0;
  }
  /// True when `type` is (a list of lists of...) a message of this file that
  /// is defined after `owner`: the member is a vector of an incomplete type.
  bool is_list_of_later_message(const model::Type& type, const model::Message& owner) const;
};

/// The message a list (of lists...) holds, or null.
const model::Message* list_element(const model::Type& type);

TypeOrder order_types(const model::File& file);

/// Every enum of the file, nested ones included, in declaration order.
std::vector<const model::Enum*> all_enums(const model::File& file);

}  // namespace idlc::backend
