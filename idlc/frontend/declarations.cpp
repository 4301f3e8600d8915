#include "frontend/declarations.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <string_view>
#include <utility>

#include "frontend/cpp_macros.hpp"
#include "frontend/cpp_names.hpp"

namespace idlc::frontend {
namespace {

constexpr std::int64_t kMaxFieldNumber = 65535;
constexpr std::int64_t kMaxEnumValue = 65535;

// The value of a number as written, clamped to +-10^12 (far outside every
// valid range, so the range checks still reject it).
std::int64_t value_of(const ast::Number& number) {
  constexpr std::int64_t kClamp = 1'000'000'000'000;
  bool negative = !number.text.empty() && number.text.front() == '-';
  std::int64_t value = 0;
  for (char digit : number.text) {
    if (digit >= '0' && digit <= '9' && value < kClamp) value = value * 10 + (digit - '0');
  }
  return negative ? -value : value;
}

std::string join(const std::string& scope, const std::string& name) {
  return scope.empty() ? name : scope + '.' + name;
}

// The generated class of a service holds these names (docs/generated-code.md):
// an rpc named like one of them would collide. Pairs of {rpc name, member}.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kServiceMembers = {{
    {"Client", "Client"},
    {"Service", "Service"},
    {"AsyncService", "AsyncService"},
    {"ServiceName", "kServiceName"},
    {"channel", "Client::channel"},
    {"definition", "Service::definition"},
}};

// The names declared directly in one C++ scope (a message's struct, an
// enum, a service class), to report duplicates and clashes.
class MemberScope {
 public:
  MemberScope(FileContext& file, Diagnostics& diagnostics, std::string_view owner_kind, std::string_view owner_name)
      : file_(file), diagnostics_(diagnostics), owner_kind_(owner_kind), owner_name_(owner_name) {}

  /// Returns false (after reporting) if the name is taken.
  bool declare(std::string_view kind, const ast::Identifier& name) {
    if (name.text == owner_name_) {
      diagnostics_.report(DiagnosticId::member_named_like_parent, file_.at(name), kind, name.text, owner_kind_);
      return false;
    }
    auto [previous, inserted] = members_.try_emplace(name.text, Member{kind, file_.at(name)});
    if (inserted) return true;
    if (previous->second.kind == kind) {
      diagnostics_.report(DiagnosticId::redefinition, file_.at(name), name.text);
      diagnostics_.report(DiagnosticId::note_previous_definition, previous->second.where, name.text);
    } else {
      diagnostics_.report(DiagnosticId::cpp_name_clash, file_.at(name), kind, name.text, previous->second.kind,
                          name.text);
      diagnostics_.report(DiagnosticId::note_clashing_declaration, previous->second.where, previous->second.kind,
                          name.text);
    }
    return false;
  }

 private:
  struct Member {
    std::string_view kind;
    SourceRef where;
  };
  FileContext& file_;
  Diagnostics& diagnostics_;
  std::string_view owner_kind_;
  std::string_view owner_name_;
  std::unordered_map<std::string, Member> members_;
};

class Declarer {
 public:
  Declarer(FileContext& file, Analysis& analysis)
      : file_(file), analysis_(analysis), diagnostics_(analysis.diagnostics) {}

  void run() {
    declare_package();
    std::size_t service_count = 0;
    for (const ast::Declaration& declaration : file_.loaded->syntax) {
      if (const auto* message = boost::get<ast::Message>(&declaration)) {
        file_.model->messages.push_back(declare_message(*message, nullptr, file_.package));
      } else if (const auto* enumeration = boost::get<ast::Enum>(&declaration)) {
        file_.model->enums.push_back(declare_enum(*enumeration, nullptr, file_.package));
      } else if (boost::get<ast::Service>(&declaration) != nullptr) {
        ++service_count;
      }
    }
    // Services last, into a vector that never reallocates: pending methods
    // point into it.
    file_.model->services.reserve(service_count);
    for (const ast::Declaration& declaration : file_.loaded->syntax) {
      if (const auto* service = boost::get<ast::Service>(&declaration)) declare_service(*service);
    }
  }

 private:
  // The package comes first, wherever it is written: every full name
  // depends on it.
  void declare_package() {
    const ast::Package* first = nullptr;
    for (const ast::Declaration& declaration : file_.loaded->syntax) {
      const auto* package = boost::get<ast::Package>(&declaration);
      if (package == nullptr) continue;
      if (first != nullptr) {
        diagnostics_.report(DiagnosticId::package_declared_twice, file_.at(package->name));
        diagnostics_.report(DiagnosticId::note_previous_package, file_.at(first->name));
        continue;
      }
      first = package;
      file_.package = package->name.text;
      std::string_view rest = package->name.text;
      std::size_t offset = static_cast<std::size_t>(package->name.id_first);
      while (true) {
        std::size_t dot = rest.find('.');
        std::string_view segment = rest.substr(0, dot);
        // A later segment named like a namespace the generated code uses
        // hides it (app::std); a first one only must not be `std`, which
        // programs may not add to (`package idlrpc.gen;` is fine).
        bool first_segment = offset == static_cast<std::size_t>(package->name.id_first);
        check_cpp_name(segment, {file_.loaded->source.get(), offset}, "a package",
                       !first_segment || segment == "std");
        file_.model->package.emplace_back(segment);
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
        offset += dot + 1;
      }
    }
  }

  // `at_namespace_scope`: the name is a type or a namespace of the
  // generated C++ (messages, enums, services, package segments), so it must
  // not hide a namespace the generated code uses.
  void check_cpp_name(std::string_view name, SourceRef where, std::string_view what, bool at_namespace_scope = false) {
    if (is_cpp_keyword(name)) {
      diagnostics_.report(DiagnosticId::cpp_keyword_name, where, name, what);
    } else if (is_cpp_reserved(name)) {
      diagnostics_.report(DiagnosticId::cpp_reserved_name, where, name);
    } else if (std::optional<std::string_view> origin = cpp_macro_origin(name)) {
      diagnostics_.report(DiagnosticId::cpp_macro_name, where, name, *origin, what);
    } else if (at_namespace_scope && is_used_namespace(name)) {
      diagnostics_.report(DiagnosticId::cpp_namespace_name, where, name, what);
    }
  }

  void check_type_name(const ast::Identifier& name, std::string_view what) {
    if (is_idl_reserved_word(name.text)) {
      diagnostics_.report(DiagnosticId::idl_keyword_type_name, file_.at(name), name.text, what);
    } else {
      check_cpp_name(name.text, file_.at(name), what, true);
    }
  }

  // Top-level names share their package's namespace with every other file
  // of that package; a nested name clashing in its message was reported by
  // the message's MemberScope already.
  void add_symbol(const std::string& full_name, Symbol symbol, bool report_clash) {
    SourceRef where = symbol.location;
    std::string name = symbol.name;
    if (const Symbol* previous = analysis_.symbols.add(full_name, std::move(symbol)); previous && report_clash) {
      diagnostics_.report(DiagnosticId::redefinition, where, name);
      diagnostics_.report(DiagnosticId::note_previous_definition, previous->location, name);
    }
  }

  template <class Decl, class Syntax>
  void fill_type_decl(Decl& decl, const Syntax& syntax, const model::Message* parent, const std::string& scope) {
    decl.name = syntax.name.text;
    decl.full_name = join(scope, syntax.name.text);
    decl.file = file_.model;
    decl.parent = parent;
    decl.doc = file_.loaded->docs.take(static_cast<std::size_t>(syntax.id_first));
    decl.location = location_of(file_, syntax.name);
    analysis_.names[static_cast<const model::TypeDecl*>(&decl)] = file_.at(syntax.name);
  }

  std::unique_ptr<model::Message> declare_message(const ast::Message& syntax, const model::Message* parent,
                                                  const std::string& scope, bool report_clash = true) {
    auto message = std::make_unique<model::Message>();
    fill_type_decl(*message, syntax, parent, scope);
    check_type_name(syntax.name, "a message");
    add_symbol(message->full_name, {Symbol::Kind::Message, message->name, message.get(), file_.model, file_.at(syntax.name)},
               report_clash);

    MemberScope members(file_, diagnostics_, "message", syntax.name.text);
    std::vector<const ast::Field*> field_syntax;
    std::vector<const ast::Number*> reserved;
    std::vector<const ast::ReservedField*> reserved_fields;
    for (const ast::MessageMember& member : syntax.members) {
      if (const auto* field = boost::get<ast::Field>(&member)) {
        check_cpp_name(field->name.text, file_.at(field->name), "a field");
        members.declare("field", field->name);
        message->fields.push_back(declare_field(*field));
        field_syntax.push_back(field);
      } else if (const auto* statement = boost::get<ast::Reserved>(&member)) {
        for (const ast::Number& number : statement->numbers) reserved.push_back(&number);
      } else if (const auto* typed = boost::get<ast::ReservedField>(&member)) {
        reserved.push_back(&typed->number);
        reserved_fields.push_back(typed);
      } else if (const auto* repeated = boost::get<ast::RepeatedField>(&member)) {
        diagnostics_.report(DiagnosticId::proto_repeated, file_.at(*repeated));
        diagnostics_.report(DiagnosticId::note_use_list, file_.at(repeated->type), ast::spelling(repeated->type));
      } else if (const auto* oneof = boost::get<ast::Oneof>(&member)) {
        diagnostics_.report(DiagnosticId::proto_oneof, file_.at(*oneof));
      } else if (const auto* nested_enum = boost::get<ast::Enum>(&member)) {
        bool unique = members.declare("enum", nested_enum->name);
        message->enums.push_back(declare_enum(*nested_enum, message.get(), message->full_name, unique));
      } else if (const auto* nested = boost::get<boost::spirit::x3::forward_ast<ast::Message>>(&member)) {
        bool unique = members.declare("message", nested->get().name);
        message->messages.push_back(declare_message(nested->get(), message.get(), message->full_name, unique));
      }
    }
    check_field_numbers(*message, field_syntax, reserved, reserved_fields);
    for (std::size_t i = 0; i < message->fields.size(); ++i) {
      analysis_.names[&message->fields[i]] = file_.at(field_syntax[i]->name);
      analysis_.fields.push_back(
          {&message->fields[i], &field_syntax[i]->type, field_syntax[i]->optional, message->full_name, &file_});
    }
    for (std::size_t i = 0; i < message->reserved_fields.size(); ++i) {
      const ast::ReservedField* typed = kept_reserved_fields_[i];
      analysis_.names[&message->reserved_fields[i]] = file_.at(typed->number);
      analysis_.fields.push_back({&message->reserved_fields[i], &typed->type, typed->optional, message->full_name, &file_});
    }
    return message;
  }

  model::Field declare_field(const ast::Field& syntax) {
    model::Field field;
    field.name = syntax.name.text;
    field.optional = syntax.optional;
    field.doc = file_.loaded->docs.take(static_cast<std::size_t>(syntax.id_first));
    field.location = location_of(file_, syntax.name);
    std::int64_t number = value_of(syntax.number);
    if (number < 1) {
      diagnostics_.report(DiagnosticId::field_number_too_small, file_.at(syntax.number), syntax.number.text);
    } else if (number > kMaxFieldNumber) {
      diagnostics_.report(DiagnosticId::field_number_too_large, file_.at(syntax.number), syntax.number.text,
                          kMaxFieldNumber);
    } else {
      field.number = static_cast<std::uint32_t>(number);
    }
    return field;
  }

  // Field numbers unique and not reserved; reserved numbers in range. A
  // number reserved twice keeps its slot if either reservation has a type.
  void check_field_numbers(model::Message& message, const std::vector<const ast::Field*>& fields,
                           const std::vector<const ast::Number*>& reserved,
                           const std::vector<const ast::ReservedField*>& reserved_fields) {
    std::map<std::uint32_t, const ast::Number*> reserved_at;
    std::map<std::uint32_t, const ast::ReservedField*> typed_at;
    for (const ast::Number* number : reserved) {
      std::int64_t value = value_of(*number);
      if (value < 1 || value > kMaxFieldNumber) {
        diagnostics_.report(DiagnosticId::reserved_number_out_of_range, file_.at(*number), number->text,
                            kMaxFieldNumber);
        continue;
      }
      auto key = static_cast<std::uint32_t>(value);
      if (!reserved_at.try_emplace(key, number).second) {
        diagnostics_.report(DiagnosticId::reserved_twice, file_.at(*number), number->text);
      }
      for (const ast::ReservedField* typed : reserved_fields) {
        if (&typed->number == number) typed_at.try_emplace(key, typed);
      }
    }
    for (const auto& [number, syntax] : reserved_at) message.reserved.push_back(number);
    kept_reserved_fields_.clear();
    for (const ast::ReservedField* typed : reserved_fields) {
      auto kept = typed_at.find(static_cast<std::uint32_t>(value_of(typed->number)));
      if (kept == typed_at.end() || kept->second != typed) continue;
      model::Field& field = message.reserved_fields.emplace_back();
      field.number = kept->first;
      field.optional = typed->optional;
      field.location = location_of(file_, typed->number);
      kept_reserved_fields_.push_back(typed);
    }

    // A bare `reserved N` below a field keeps no slot: if N was a field,
    // removing it moved the fields after it (docs/wire-format.md).
    std::uint32_t highest_slot = 0;
    for (const model::Field& field : message.fields) highest_slot = std::max(highest_slot, field.number);
    for (const auto& [number, typed] : typed_at) highest_slot = std::max(highest_slot, number);
    for (const auto& [number, syntax] : reserved_at) {
      if (number < highest_slot && typed_at.count(number) == 0) {
        diagnostics_.report(DiagnosticId::reserved_without_type, file_.at(*syntax), syntax->text);
        diagnostics_.report(DiagnosticId::note_reserved_type, file_.at(*syntax), syntax->text);
      }
    }

    std::unordered_map<std::uint32_t, std::size_t> used_by;  // number -> field index
    for (std::size_t i = 0; i < message.fields.size(); ++i) {
      std::uint32_t number = message.fields[i].number;
      if (number == 0) continue;  // out of range, reported
      const ast::Number& written = fields[i]->number;
      if (auto reservation = reserved_at.find(number); reservation != reserved_at.end()) {
        diagnostics_.report(DiagnosticId::reserved_field_number, file_.at(written), written.text);
        diagnostics_.report(DiagnosticId::note_reserved_here, file_.at(*reservation->second));
      } else if (auto [previous, inserted] = used_by.try_emplace(number, i); !inserted) {
        const std::string& other = message.fields[previous->second].name;
        diagnostics_.report(DiagnosticId::duplicate_field_number, file_.at(written), written.text, other);
        diagnostics_.report(DiagnosticId::note_field_declared_here, file_.at(fields[previous->second]->name), other);
      }
    }
  }

  std::unique_ptr<model::Enum> declare_enum(const ast::Enum& syntax, const model::Message* parent,
                                            const std::string& scope, bool report_clash = true) {
    auto enumeration = std::make_unique<model::Enum>();
    fill_type_decl(*enumeration, syntax, parent, scope);
    check_type_name(syntax.name, "an enum");
    add_symbol(enumeration->full_name,
               {Symbol::Kind::Enum, enumeration->name, enumeration.get(), file_.model, file_.at(syntax.name)},
               report_clash);
    if (syntax.values.empty()) diagnostics_.report(DiagnosticId::empty_enum, file_.at(syntax.name), syntax.name.text);

    MemberScope names(file_, diagnostics_, "enum", "");  // enum class: a value may share the enum's name
    std::unordered_map<std::int64_t, const ast::EnumValue*> values;
    std::vector<SourceRef> value_names;
    for (const ast::EnumValue& value_syntax : syntax.values) {
      check_cpp_name(value_syntax.name.text, file_.at(value_syntax.name), "an enum value");
      names.declare("enum value", value_syntax.name);
      model::EnumValue value;
      value.name = value_syntax.name.text;
      value.doc = file_.loaded->docs.take(static_cast<std::size_t>(value_syntax.id_first));
      value.location = location_of(file_, value_syntax.name);
      value_names.push_back(file_.at(value_syntax.name));
      std::int64_t number = value_of(value_syntax.value);
      if (number < 0 || number > kMaxEnumValue) {
        diagnostics_.report(DiagnosticId::enum_value_out_of_range, file_.at(value_syntax.value), value_syntax.value.text);
      } else if (auto [previous, inserted] = values.try_emplace(number, &value_syntax); !inserted) {
        diagnostics_.report(DiagnosticId::duplicate_enum_value, file_.at(value_syntax.value), value_syntax.value.text,
                            previous->second->name.text);
        diagnostics_.report(DiagnosticId::note_enum_value_declared_here, file_.at(previous->second->name),
                            previous->second->name.text);
      } else {
        value.value = static_cast<std::uint16_t>(number);
      }
      enumeration->values.push_back(std::move(value));
    }
    for (std::size_t i = 0; i < enumeration->values.size(); ++i) analysis_.names[&enumeration->values[i]] = value_names[i];
    return enumeration;
  }

  void declare_service(const ast::Service& syntax) {
    model::Service& service = file_.model->services.emplace_back();
    service.name = syntax.name.text;
    service.full_name = join(file_.package, syntax.name.text);
    service.doc = file_.loaded->docs.take(static_cast<std::size_t>(syntax.id_first));
    service.location = location_of(file_, syntax.name);
    analysis_.names[&service] = file_.at(syntax.name);
    check_cpp_name(syntax.name.text, file_.at(syntax.name), "a service", true);
    add_symbol(service.full_name, {Symbol::Kind::Service, service.name, nullptr, file_.model, file_.at(syntax.name)},
               true);

    MemberScope names(file_, diagnostics_, "service", syntax.name.text);
    for (const ast::Rpc& rpc : syntax.rpcs) {
      check_cpp_name(rpc.name.text, file_.at(rpc.name), "an rpc");
      for (const auto& [reserved_name, member] : kServiceMembers) {
        if (rpc.name.text == reserved_name) {
          diagnostics_.report(DiagnosticId::rpc_clashes_with_generated, file_.at(rpc.name), rpc.name.text,
                              syntax.name.text, member);
        }
      }
      names.declare("rpc", rpc.name);
      model::Method& method = service.methods.emplace_back();
      method.name = rpc.name.text;
      method.client_streaming = rpc.client_streaming;
      method.server_streaming = rpc.server_streaming;
      method.idempotency = idempotency_of(rpc);
      method.doc = file_.loaded->docs.take(static_cast<std::size_t>(rpc.id_first));
      method.location = location_of(file_, rpc.name);
    }
    for (std::size_t i = 0; i < service.methods.size(); ++i) {
      analysis_.methods.push_back({&service.methods[i], &syntax.rpcs[i], &file_});
    }
  }

  /// The rpc's options: idempotency_level is the only one.
  model::Idempotency idempotency_of(const ast::Rpc& rpc) {
    static constexpr std::pair<std::string_view, model::Idempotency> kLevels[] = {
        {"IDEMPOTENCY_UNKNOWN", model::Idempotency::kUnknown},
        {"NO_SIDE_EFFECTS", model::Idempotency::kNoSideEffects},
        {"IDEMPOTENT", model::Idempotency::kIdempotent},
    };
    model::Idempotency level = model::Idempotency::kUnknown;
    const ast::RpcOption* previous = nullptr;
    for (const ast::RpcOption& option : rpc.options) {
      if (option.name.text != "idempotency_level") {
        diagnostics_.report(DiagnosticId::unknown_rpc_option, file_.at(option.name), option.name.text);
        continue;
      }
      if (previous != nullptr) {
        diagnostics_.report(DiagnosticId::rpc_option_repeated, file_.at(option.name), option.name.text);
        diagnostics_.report(DiagnosticId::note_previous_option, file_.at(previous->name), option.name.text);
        continue;
      }
      previous = &option;
      const auto* known = std::find_if(std::begin(kLevels), std::end(kLevels),
                                       [&](const auto& entry) { return entry.first == option.value.text; });
      if (known == std::end(kLevels)) {
        diagnostics_.report(DiagnosticId::invalid_idempotency_level, file_.at(option.value), option.value.text);
        continue;
      }
      level = known->second;
    }
    return level;
  }

  FileContext& file_;
  Analysis& analysis_;
  Diagnostics& diagnostics_;
  // The typed reservations check_field_numbers kept, in the order of the
  // message's reserved_fields.
  std::vector<const ast::ReservedField*> kept_reserved_fields_;
};

}  // namespace

model::SourceLocation location_of(const FileContext& file, const boost::spirit::x3::position_tagged& node) {
  LineColumn position = file.loaded->source->line_column(static_cast<std::size_t>(node.id_first));
  return {file.loaded->source->path(), position.line, position.column};
}

void declare_file(FileContext& file, Analysis& analysis) { Declarer(file, analysis).run(); }

}  // namespace idlc::frontend
