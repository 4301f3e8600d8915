// The IDL grammar (docs/language.md has it in EBNF). Included only by
// grammar.cpp.
//
// Every rule has a name: an expectation (`>`) that fails throws
// x3::expectation_failure naming the rule, which file_class::on_error turns
// into "expected <name> before <token>". Alternatives start with a
// keyword, after which everything is expected, so errors point at the
// exact token that went wrong instead of a backtracked position.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "frontend/ast.hpp"
#include "frontend/ast_adapted.hpp"
#include "frontend/grammar_context.hpp"
#include "frontend/grammar.hpp"

namespace idlc::frontend::grammar {

namespace x3 = boost::spirit::x3;

// --- Lexical pieces. ASCII only: the scanner rejected other bytes outside
// comments and strings already.
const auto identifier_start = x3::char_("a-zA-Z_");
const auto identifier_char = x3::char_("a-zA-Z0-9_");

/// A keyword is a whole word: `messages` is an identifier, not `message`.
inline auto keyword(const char* word) { return x3::lexeme[x3::lit(word) >> !identifier_char]; }

// Semantic actions for the one-member nodes (see ast_adapted.hpp). X3
// hands annotate_on_success an unused attribute for rules with actions, so
// the actions that fill a leaf node tag its position themselves; a
// package, import or reserved statement is located by its first child.
const auto tag = [](auto& context, auto& node, const auto& range) {
  x3::get<x3::error_handler_tag>(context).get().tag(node, range.begin(), range.end());
};
const auto assign_text = [](auto& context) {
  const auto& range = x3::_attr(context);
  x3::_val(context).text.assign(range.begin(), range.end());
  tag(context, x3::_val(context), range);
};
const auto assign_unquoted = [](auto& context) {
  const auto& range = x3::_attr(context);
  x3::_val(context).text.assign(range.begin() + 1, range.end() - 1);
  tag(context, x3::_val(context), range);
};
const auto assign_package = [](auto& context) { x3::_val(context).name = std::move(x3::_attr(context)); };
const auto assign_import = [](auto& context) { x3::_val(context).path = std::move(x3::_attr(context)); };
const auto assign_reserved = [](auto& context) { x3::_val(context).numbers = std::move(x3::_attr(context)); };

// --- Rules. The *_class IDs that derive from annotate_on_success get their
// node's source offsets filled in.
struct identifier_class;
struct qualified_name_class;
struct number_class;
struct string_literal_class;
struct type_class : x3::annotate_on_success {};
struct field_class : x3::annotate_on_success {};
struct reserved_field_class : x3::annotate_on_success {};
struct repeated_field_class : x3::annotate_on_success {};
struct oneof_class : x3::annotate_on_success {};
struct enum_value_class : x3::annotate_on_success {};
struct enum_class : x3::annotate_on_success {};
struct message_class : x3::annotate_on_success {};
struct rpc_option_class : x3::annotate_on_success {};
struct rpc_class : x3::annotate_on_success {};
struct service_class : x3::annotate_on_success {};

/// The entry rule turns a failed expectation anywhere below it into a
/// diagnostic; parsing stops at the first syntax error.
struct file_class {
  template <class Iterator, class Exception, class Context>
  x3::error_handler_result on_error(Iterator&, const Iterator&, const Exception& failure, const Context& context) {
    x3::get<x3::error_handler_tag>(context).get().expected(failure.which(), failure.where());
    return x3::error_handler_result::fail;
  }
};

const x3::rule<identifier_class, ast::Identifier> identifier = "identifier";
const x3::rule<qualified_name_class, ast::QualifiedName> qualified_name = "name";
const x3::rule<number_class, ast::Number> number = "number";
const x3::rule<string_literal_class, ast::StringLiteral> string_literal = "string";

const x3::rule<class package_name_class, ast::QualifiedName> package_name = "package name";
const x3::rule<class import_path_class, ast::StringLiteral> import_path = "import path in quotes";
const x3::rule<class message_name_class, ast::Identifier> message_name = "message name";
const x3::rule<class enum_name_class, ast::Identifier> enum_name = "enum name";
const x3::rule<class service_name_class, ast::Identifier> service_name = "service name";
const x3::rule<class field_name_class, ast::Identifier> field_name = "field name";
const x3::rule<class rpc_name_class, ast::Identifier> rpc_name = "rpc name";
const x3::rule<class field_number_class, ast::Number> field_number = "field number";
const x3::rule<class enum_number_class, ast::Number> enum_number = "enum value number";
const x3::rule<class message_type_class, ast::QualifiedName> message_type = "message type";

const x3::rule<type_class, ast::TypeRef> type = "type";
const x3::rule<field_class, ast::Field> field = "field";
const x3::rule<class reserved_class, ast::Reserved> reserved = "reserved numbers";
const x3::rule<reserved_field_class, ast::ReservedField> reserved_field = "reserved field";
const x3::rule<repeated_field_class, ast::RepeatedField> repeated_field = "repeated field";
const x3::rule<oneof_class, ast::Oneof> oneof = "oneof";
const x3::rule<enum_value_class, ast::EnumValue> enum_value = "enum value";
const x3::rule<enum_class, ast::Enum> enumeration = "enum";
const x3::rule<class message_member_class, ast::MessageMember> message_member = "message member";
const x3::rule<message_class, ast::Message> message = "message";
const x3::rule<class option_name_class, ast::Identifier> option_name = "option name";
const x3::rule<class option_value_class, ast::Identifier> option_value = "option value";
const x3::rule<rpc_option_class, ast::RpcOption> rpc_option = "rpc option";
const x3::rule<class rpc_body_class, std::vector<ast::RpcOption>> rpc_body = "';' or '{'";
const x3::rule<rpc_class, ast::Rpc> rpc = "rpc";
const x3::rule<service_class, ast::Service> service = "service";
const x3::rule<class package_class, ast::Package> package = "package";
const x3::rule<class import_class, ast::Import> import = "import";
const x3::rule<class declaration_class, ast::Declaration> declaration = "declaration";
const file_type idl_file = "file";

// Named closers: the name says what else could have come instead.
const auto message_end = x3::rule<class message_end_class>{"a field, 'message', 'enum', 'reserved' or '}'"} = x3::lit('}');
const auto enum_end = x3::rule<class enum_end_class>{"an enum value or '}'"} = x3::lit('}');
const auto service_end = x3::rule<class service_end_class>{"'rpc' or '}'"} = x3::lit('}');
const auto rpc_options_end = x3::rule<class rpc_options_end_class>{"'option' or '}'"} = x3::lit('}');
const auto returns_keyword = x3::rule<class returns_class>{"'returns'"} = keyword("returns");
const auto end_of_input =
    x3::rule<class end_of_input_class>{"a declaration ('message', 'enum', 'service', 'import' or 'package')"} = x3::eoi;

const auto identifier_def = x3::raw[x3::lexeme[identifier_start >> *identifier_char]][assign_text];
// After a dot a name part must follow: "a..b" fails right at the second dot.
const auto name_part = x3::rule<class name_part_class>{"identifier"} = identifier_start >> *identifier_char;
const auto qualified_name_def = x3::raw[x3::lexeme[name_part >> *('.' > name_part)]][assign_text];
const auto number_def = x3::raw[x3::lexeme[-x3::lit('-') >> +x3::digit]][assign_text];
const auto string_literal_def = x3::raw[x3::lexeme['"' >> *(x3::char_ - '"' - x3::eol) >> '"']][assign_unquoted];

const auto package_name_def = qualified_name;
const auto import_path_def = string_literal;
const auto message_name_def = identifier;
const auto enum_name_def = identifier;
const auto service_name_def = identifier;
const auto field_name_def = identifier;
const auto rpc_name_def = identifier;
const auto field_number_def = number;
const auto enum_number_def = number;
const auto message_type_def = qualified_name;

const auto type_def = qualified_name >> -('<' > (type % ',') > '>');
const auto field_def = (x3::matches[keyword("optional")] >> type) > field_name > '=' > field_number > ';';
const auto reserved_def = (keyword("reserved") > (field_number % ',') > ';')[assign_reserved];
// `reserved [optional] T N;`: after a type, everything is expected; without
// one, `reserved` falls back to the list of numbers above.
const auto reserved_field_def = (keyword("reserved") >> x3::matches[keyword("optional")] >> type) > field_number > ';';
// protobuf habits, parsed so that the checks can say what to write instead.
const auto repeated_field_def = keyword("repeated") > type > field_name > '=' > field_number > ';';
const auto oneof_def = keyword("oneof") > identifier > '{' > *field > '}';
const auto enum_value_def = identifier > '=' > enum_number > ';';
const auto enumeration_def = keyword("enum") > enum_name > '{' > *enum_value > enum_end;
const auto message_member_def = message | enumeration | reserved_field | reserved | repeated_field | oneof | field;
const auto message_def = keyword("message") > message_name > '{' > *message_member > message_end;
const auto option_name_def = identifier;
const auto option_value_def = identifier;
const auto rpc_option_def = keyword("option") > option_name > '=' > option_value > ';';
// protobuf's two forms: `...;` or `... { option ...; }` (no `;` after the `}`).
const auto rpc_body_def = (x3::lit(';') >> x3::attr(std::vector<ast::RpcOption>{})) |
                          ('{' > *rpc_option > rpc_options_end);
const auto rpc_def = keyword("rpc") > rpc_name                                     //
                     > '(' > x3::matches[keyword("stream")] > message_type > ')'  //
                     > returns_keyword                                            //
                     > '(' > x3::matches[keyword("stream")] > message_type > ')' > rpc_body;
const auto service_def = keyword("service") > service_name > '{' > *rpc > service_end;
const auto package_def = (keyword("package") > package_name > ';')[assign_package];
const auto import_def = (keyword("import") > import_path > ';')[assign_import];
const auto declaration_def = package | import | message | enumeration | service;
const auto idl_file_def = *declaration > end_of_input;

BOOST_SPIRIT_DEFINE(identifier, qualified_name, number, string_literal, package_name, import_path, message_name,
                    enum_name, service_name, field_name, rpc_name, field_number, enum_number, message_type,
                    type, field, reserved, reserved_field, repeated_field, oneof, enum_value, enumeration, message_member, message,
                    option_name, option_value, rpc_option, rpc_body, rpc,
                    service, package, import, declaration, idl_file)

}  // namespace idlc::frontend::grammar
