// The checked, resolved model of a set of IDL files: what the front end
// produces and the back end consumes. Every name is resolved to the
// declaration it denotes and every semantic check has passed, so the back
// end never validates anything again.
//
// Ownership: a Program owns its Files; a File owns its top-level Messages,
// Enums and Services; a Message owns its nested Messages and Enums. Raw
// pointers between them (a field's type, a method's request) are
// non-owning and valid as long as the Program lives.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace idlc::model {

/// A place in an IDL source, for notes in back-end diagnostics.
struct SourceLocation {
  std::string file;       // path as given on the command line or resolved from an import
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in bytes
};

/// The built-in scalar types. `float` and `double` are parsed as Float32 and
/// Float64; `string` is UTF-8 text, `bytes` arbitrary bytes.
enum class Scalar {
  Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64,
  Float32, Float64, String, Bytes,
};

struct Message;
struct Enum;
struct File;

/// A field's type. `optional` is not part of the type: it is Field::optional.
struct Type {
  enum class Kind { Scalar, Enum, Message, List, Map };
  Kind kind = Kind::Scalar;
  Scalar scalar = Scalar::Bool;          // Kind::Scalar
  const Enum* enumeration = nullptr;     // Kind::Enum
  const Message* message = nullptr;      // Kind::Message
  /// Kind::List: {element}. Kind::Map: {key, value}; the key is an integer,
  /// bool or string scalar. Lists and maps nest (list<list<int32>>).
  std::vector<Type> params;
};

struct Field {
  std::string name;             // as written in the IDL (snake_case by convention)
  std::uint32_t number = 0;     // >= 1, unique within the message, not reserved
  Type type;
  bool optional = false;        // `optional T`: presence is tracked
  std::string doc;              // text of the `///` comments before it, lines joined by '\n', without the slashes
  SourceLocation location;
};

struct EnumValue {
  std::string name;
  std::uint16_t value = 0;      // explicit in the IDL; unique within the enum; 0..65535
  std::string doc;
  SourceLocation location;
};

/// Scope shared by messages and enums: where a type is declared.
struct TypeDecl {
  std::string name;             // simple name: "Stats"
  std::string full_name;        // dotted, with package: "sports.teams.TeamResponse.Stats"
  const File* file = nullptr;   // the file that declares it
  const Message* parent = nullptr;  // the enclosing message for nested types, else null
  std::string doc;
  SourceLocation location;
};

struct Enum : TypeDecl {
  std::vector<EnumValue> values;  // in declaration order
};

struct Message : TypeDecl {
  std::vector<Field> fields;                        // in declaration order
  std::vector<std::uint32_t> reserved;              // reserved field numbers, sorted (typed ones included)
  /// `reserved T N;`: removed fields whose slots stay allocated in the
  /// layout (docs/wire-format.md). Number, type and optionality as declared;
  /// no name, no doc. Their numbers are in `reserved` too. Declaration order.
  std::vector<Field> reserved_fields;
  std::vector<std::unique_ptr<Message>> messages;   // nested messages, declaration order
  std::vector<std::unique_ptr<Enum>> enums;         // nested enums, declaration order
};

/// What an rpc's `option idempotency_level = ...;` says (protobuf's
/// MethodOptions.IdempotencyLevel): whether a call may safely be repeated.
enum class Idempotency {
  kUnknown,        // no option, or IDEMPOTENCY_UNKNOWN
  kNoSideEffects,  // NO_SIDE_EFFECTS: a read
  kIdempotent,     // IDEMPOTENT: repeating it changes nothing more
};

struct Method {
  std::string name;
  const Message* request = nullptr;
  bool client_streaming = false;   // `rpc M(stream Req) ...`
  const Message* response = nullptr;
  bool server_streaming = false;   // `... returns (stream Resp)`
  Idempotency idempotency = Idempotency::kUnknown;
  std::string doc;
  SourceLocation location;
};

struct Service {
  std::string name;
  std::string full_name;           // "sports.teams.Teams"
  std::vector<Method> methods;     // declaration order
  std::string doc;
  SourceLocation location;
};

struct File {
  /// The path idlc read, as given or as resolved from an import.
  std::string path;
  /// The path generated files are named after, relative to the output
  /// directory: the path as given on the command line when relative; for an
  /// import, the importer's folder joined with the import string when it was
  /// found beside the importer, or the import string itself when it was
  /// found in an -I directory. "teams.idl", "common/geo.idl".
  std::string relative_path;
  std::vector<std::string> package;         // {"sports", "teams"}; empty if none
  std::vector<const File*> imports;         // direct imports, declaration order
  std::vector<std::unique_ptr<Message>> messages;  // top level, declaration order
  std::vector<std::unique_ptr<Enum>> enums;        // top level, declaration order
  std::vector<Service> services;                   // declaration order
};

struct Program {
  /// Every file read, each once, an imported file before its importers.
  std::vector<std::unique_ptr<File>> files;
  /// The files named on the command line: the ones to generate code for.
  std::vector<const File*> roots;
};

}  // namespace idlc::model
