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

struct Reserved : x3::position_tagged {
  std::vector<Number> numbers;
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
using MessageMember = x3::variant<Field, Reserved, Enum, x3::forward_ast<Message>>;

struct Message : x3::position_tagged {
  Identifier name;
  std::vector<MessageMember> members;
};

struct Rpc : x3::position_tagged {
  Identifier name;
  bool client_streaming = false;
  QualifiedName request;
  bool server_streaming = false;
  QualifiedName response;
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

/// A whole file: its top-level declarations in source order.
using File = std::vector<Declaration>;

}  // namespace idlc::frontend::ast
