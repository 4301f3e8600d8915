// The syntax tree the X3 grammar builds: what was written, nothing
// resolved. Every node that diagnostics point at derives from
// x3::position_tagged; the parser stores byte offsets into the source in
// id_first/id_last (see ParserCallbacks::tag), not position_cache indices.
#pragma once

#include <string>
#include <vector>

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

namespace idlc::frontend::ast {

namespace x3 = boost::spirit::x3;

struct Identifier : x3::position_tagged {
  std::string text;
};

/// A dotted name as written: "geo.Point", "int32", "sports.teams".
struct QualifiedName : x3::position_tagged {
  std::string text;
};

/// Digits with an optional '-', kept as text so the checks can say which
/// number is out of range instead of the parser failing on it.
struct Number : x3::position_tagged {
  std::string text;
};

/// A string literal's contents, without the quotes.
struct StringLiteral : x3::position_tagged {
  std::string text;
};

/// `name` or `name<arg, ...>`: list<T> and map<K, V> are parsed like any
/// other name with arguments; the resolver checks the arity.
struct TypeRef : x3::position_tagged {
  QualifiedName name;
  std::vector<TypeRef> arguments;
};

struct Field : x3::position_tagged {
  bool optional = false;
  TypeRef type;
  Identifier name;
  Number number;
};

/// `reserved 8, 9;`: numbers nobody may use again.
struct Reserved : x3::position_tagged {
  std::vector<Number> numbers;
};

/// `reserved int16 2;`: a removed field whose slot in the layout stays
/// allocated, so the fields after it keep theirs.
struct ReservedField : x3::position_tagged {
  bool optional = false;
  TypeRef type;
  Number number;
};

/// protobuf's `repeated T name = N;`, parsed only to suggest list<T>.
struct RepeatedField : x3::position_tagged {
  TypeRef type;
  Identifier name;
  Number number;
};

/// protobuf's `oneof name { fields }`, parsed only to explain what to use.
struct Oneof : x3::position_tagged {
  Identifier name;
  std::vector<Field> fields;
};

struct EnumValue : x3::position_tagged {
  Identifier name;
  Number value;
};

struct Enum : x3::position_tagged {
  Identifier name;
  std::vector<EnumValue> values;
};

struct Message;
using MessageMember = x3::variant<Field, Reserved, ReservedField, RepeatedField, Oneof, Enum, x3::forward_ast<Message>>;

struct Message : x3::position_tagged {
  Identifier name;
  std::vector<MessageMember> members;
};

/// `option name = VALUE;` in an rpc's braces. Any name and value parse;
/// the checks accept idempotency_level only (declarations.cpp).
struct RpcOption : x3::position_tagged {
  Identifier name;
  Identifier value;
};

struct Rpc : x3::position_tagged {
  Identifier name;
  bool client_streaming = false;
  QualifiedName request;
  bool server_streaming = false;
  QualifiedName response;
  std::vector<RpcOption> options;  // `{ ... }` after the response; none after `;`
};

struct Service : x3::position_tagged {
  Identifier name;
  std::vector<Rpc> rpcs;
};

struct Package : x3::position_tagged {
  QualifiedName name;
};

struct Import : x3::position_tagged {
  StringLiteral path;
};

using Declaration = x3::variant<Package, Import, Message, Enum, Service>;

/// A type as written, for messages: "map<float64, string>".
inline std::string spelling(const TypeRef& type) {
  std::string text = type.name.text;
  if (type.arguments.empty()) return text;
  text += '<';
  for (std::size_t i = 0; i < type.arguments.size(); ++i) {
    if (i > 0) text += ", ";
    text += spelling(type.arguments[i]);
  }
  return text + '>';
}

/// A whole file: its top-level declarations in source order.
using File = std::vector<Declaration>;

}  // namespace idlc::frontend::ast
