// cpp_view(): what the C++ header and source templates render for one file.
#include <algorithm>
#include <numeric>
#include <set>

#include "backend/cpp_types.hpp"
#include "backend/layout.hpp"
#include "backend/names.hpp"
#include "backend/type_order.hpp"
#include "backend/views.hpp"

namespace idlc::backend {
namespace {

using kainjow::mustache::data;

data enum_view(const model::Enum& e, CppTypeSpeller& types) {
  data values{data::type::list};
  for (const model::EnumValue& value : e.values) {
    data view;
    view.set("name", value.name);
    view.set("label", value.name);
    view.set("value", std::to_string(value.value));
    view.set("doc", doc_view(value.doc));
    values.push_back(view);
  }
  data view;
  view.set("type_name", types.decl_name(e));
  view.set("qualified", cpp_qualified_name(e));
  view.set("doc", doc_view(e.doc));
  view.set("values", values);
  return view;
}

// Where encode/decode find a field: a bit, a data slot of data_type, or a pointer.
data field_slot_view(const model::Field& field, const Slot& slot, CppTypeSpeller& types) {
  data view;
  view.set("member", field.name);
  view.set("label", field.name);
  view.set("offset", std::to_string(slot.offset));
  view.set("is_bit", slot.kind == Slot::Kind::Bit);
  view.set("is_data", slot.kind == Slot::Kind::Data);
  view.set("is_pointer", slot.kind == Slot::Kind::Pointer);
  if (slot.kind == Slot::Kind::Data) view.set("data_type", types.data_type(field.type));
  return view;
}

data message_view(const model::Message& message, const TypeOrder& order, CppTypeSpeller& types) {
  const MessageLayout layout = layout_message(message);

  std::set<std::string> class_scope;
  for (const auto& nested : message.enums) class_scope.insert(nested->name);
  for (const auto& nested : message.messages) class_scope.insert(nested->name);
  for (const model::Field& field : message.fields) class_scope.insert(field.name);
  types.set_class_scope(std::move(class_scope));
  data fields{data::type::list};
  for (std::size_t i = 0; i < message.fields.size(); ++i) {
    const model::Field& field = message.fields[i];
    data view;
    view.set("member", field.name);
    view.set("type", types.field_type(field, order.is_boxed(message, i)));
    // `{}` on every member: scalars start at zero, and designated
    // initializers may omit any member without -Wmissing-field-initializers.
    // A vector of a type defined later cannot have one (only in cycles).
    view.set("initializer", !order.is_list_of_later_message(field.type, message));
    view.set("doc", doc_view(field.doc));
    fields.push_back(view);
  }

  // Encoded in ordinal order, which is the order capnp's own builders
  // allocate pointer targets in when a program sets fields that way.
  std::vector<std::size_t> by_number(message.fields.size());
  std::iota(by_number.begin(), by_number.end(), std::size_t{0});
  std::sort(by_number.begin(), by_number.end(),
            [&](std::size_t a, std::size_t b) { return message.fields[a].number < message.fields[b].number; });
  data slots{data::type::list};
  for (const std::size_t i : by_number) slots.push_back(field_slot_view(message.fields[i], layout.fields[i], types));

  types.set_class_scope({});
  data aliases{data::type::list};
  auto add_alias = [&](const model::TypeDecl& nested) {
    data alias;
    alias.set("name", nested.name);
    alias.set("target", cpp_flat_name(nested));
    aliases.push_back(alias);
  };
  for (const auto& nested : message.enums) add_alias(*nested);
  for (const auto& nested : message.messages) add_alias(*nested);

  data view;
  view.set("name", types.decl_name(message));
  view.set("qualified", cpp_qualified_name(message));
  view.set("full_name", message.full_name);
  view.set("scoped_name", scoped_name(message));
  view.set("doc", doc_view(message.doc));
  view.set("data_words", std::to_string(layout.data_words));
  view.set("pointers", std::to_string(layout.pointers));
  view.set("aliases", aliases);
  view.set("fields", fields);
  view.set("slots", slots);
  view.set("has_fields", !message.fields.empty());
  return view;
}

data method_view(const model::Service& service, const model::Method& method, CppTypeSpeller& types) {
  const bool client = method.client_streaming;
  const bool server = method.server_streaming;
  data view;
  view.set("name", method.name);
  view.set("path", "/" + service.full_name + "/" + method.name);
  view.set("constant", "k" + method.name);
  view.set("kind", !client && !server ? "kUnary" : server && !client ? "kServerStreaming"
                                              : client && !server ? "kClientStreaming" : "kBidiStreaming");
  view.set("request", types.decl_name(*method.request));
  view.set("response", types.decl_name(*method.response));
  view.set("is_unary", !client && !server);
  view.set("is_server_streaming", server && !client);
  view.set("is_client_streaming", client && !server);
  view.set("is_bidi_streaming", client && server);
  // Only a level the IDL set is spelled out: MethodInfo's default is kUnknown.
  if (method.idempotency != model::Idempotency::kUnknown) {
    view.set("idempotency", method.idempotency == model::Idempotency::kIdempotent ? "kIdempotent" : "kNoSideEffects");
  }
  view.set("doc", doc_view(method.doc));
  return view;
}

data service_view(const model::Service& service, CppTypeSpeller& types) {
  std::set<std::string> class_scope{service.name, "Client", "Service", "AsyncService"};
  for (const model::Method& method : service.methods) class_scope.insert(method.name);
  types.set_class_scope(std::move(class_scope));
  data methods{data::type::list};
  for (const model::Method& method : service.methods) methods.push_back(method_view(service, method, types));
  types.set_class_scope({});
  data view;
  view.set("name", service.name);
  view.set("service", service.name);
  view.set("full_name", service.full_name);
  view.set("doc", doc_view(service.doc));
  view.set("methods", methods);
  return view;
}

}  // namespace

data cpp_view(const model::File& file) {
  CppTypeSpeller types(file);
  const TypeOrder order = order_types(file);

  data enums{data::type::list};
  for (const model::Enum* e : all_enums(file)) enums.push_back(enum_view(*e, types));
  data messages{data::type::list};
  for (const model::Message* message : order.messages) messages.push_back(message_view(*message, order, types));
  data services{data::type::list};
  for (const model::Service& service : file.services) services.push_back(service_view(service, types));

  data imports{data::type::list};
  for (const model::File* imported : file.imports) {
    data entry;
    entry.set("header", header_path(*imported));
    entry.set("messages_header", header_path(*imported, "messages"));
    imports.push_back(entry);
  }
  // What the spelled field types need, plus: enums are std::uint16_t with
  // names as std::string_view; MessageTraits has kFullName (string_view)
  // and print(..., std::string&). (The blocking header includes what services need.)
  std::set<std::string> headers = types.std_headers();
  if (!enums.is_empty_list()) headers.insert({"cstdint", "string_view"});
  if (!messages.is_empty_list()) headers.insert({"string", "string_view"});
  data std_headers{data::type::list};
  for (const std::string& header : headers) std_headers.push_back(data("header", header));
  data idlrpc_headers{data::type::list};
  for (const std::string& header : types.idlrpc_headers()) idlrpc_headers.push_back(data("header", header));
  const bool has_streaming = std::any_of(file.services.begin(), file.services.end(), [](const model::Service& s) {
    return std::any_of(s.methods.begin(), s.methods.end(),
                       [](const model::Method& m) { return m.client_streaming || m.server_streaming; });
  });

  const std::string ns = cpp_namespace(file);
  data view;
  view.set("source_name", file.relative_path);
  view.set("header_name", header_path(file));
  view.set("messages_header", header_path(file, "messages"));
  view.set("blocking_header", header_path(file, "blocking"));
  view.set("async_header", header_path(file, "async"));
  view.set("namespace", ns);
  view.set("has_namespace", !ns.empty());
  view.set("imports", imports);
  view.set("std_headers", std_headers);
  view.set("idlrpc_headers", idlrpc_headers);
  view.set("enums", enums);
  view.set("messages", messages);
  view.set("services", services);
  view.set("has_services", !file.services.empty());
  view.set("has_streaming", has_streaming);
  view.set("has_messages", !order.messages.empty());
  return view;
}

}  // namespace idlc::backend
