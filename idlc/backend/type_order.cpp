#include "backend/type_order.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace idlc::backend {
namespace {

void collect(const model::Message& message, std::vector<const model::Message*>& messages,
             std::vector<const model::Enum*>& enums) {
  messages.push_back(&message);
  for (const auto& e : message.enums) enums.push_back(e.get());
  for (const auto& nested : message.messages) collect(*nested, messages, enums);
}

void collect_file(const model::File& file, std::vector<const model::Message*>& messages,
                  std::vector<const model::Enum*>& enums) {
  for (const auto& e : file.enums) enums.push_back(e.get());
  for (const auto& message : file.messages) collect(*message, messages, enums);
}

// The message a field's C++ member needs complete, if any: T, optional<T>
// and map<K, T> hold a T by value; vector<T> does not.
const model::Message* needs_complete(const model::Field& field) {
  const model::Type& type = field.type;
  if (type.kind == model::Type::Kind::Message) return type.message;
  if (type.kind == model::Type::Kind::Map && type.params.size() == 2 &&
      type.params[1].kind == model::Type::Kind::Message) {
    return type.params[1].message;
  }
  return nullptr;
}

}  // namespace

const model::Message* list_element(const model::Type& type) {
  if (type.kind != model::Type::Kind::List) return nullptr;
  const model::Type* element = &type.params.at(0);
  while (element->kind == model::Type::Kind::List) element = &element->params.at(0);
  return element->kind == model::Type::Kind::Message ? element->message : nullptr;
}

bool TypeOrder::is_list_of_later_message(const model::Type& type, const model::Message& owner) const {
  const auto element = position.find(list_element(type));
  return element != position.end() && element->second > position.at(&owner);
}

std::vector<const model::Enum*> all_enums(const model::File& file) {
  std::vector<const model::Message*> messages;
  std::vector<const model::Enum*> enums;
  collect_file(file, messages, enums);
  return enums;
}

namespace {

// The messages of one file as a graph: an edge (target, field) from a
// message to each message of this file that one of its fields needs
// complete. Imported messages are complete already and have no node.
struct MessageGraph {
  std::vector<const model::Message*> messages;
  std::map<const model::Message*, std::size_t> index;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> edges;  // (target, field)
};

MessageGraph message_graph(const model::File& file) {
  MessageGraph graph;
  std::vector<const model::Enum*> enums;
  collect_file(file, graph.messages, enums);
  for (std::size_t i = 0; i < graph.messages.size(); ++i) graph.index[graph.messages[i]] = i;
  graph.edges.resize(graph.messages.size());
  for (std::size_t i = 0; i < graph.messages.size(); ++i) {
    const auto& fields = graph.messages[i]->fields;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const model::Message* target = needs_complete(fields[f]);
      if (const auto it = graph.index.find(target); target != nullptr && it != graph.index.end()) {
        graph.edges[i].emplace_back(it->second, f);
      }
    }
  }
  return graph;
}

// Tarjan's strongly connected components: the component of each message.
// Messages in one component hold each other by value, which C++ cannot do:
// the fields between them are boxed.
std::vector<std::size_t> components_of(const MessageGraph& graph) {
  const std::size_t size = graph.messages.size();
  const std::size_t unvisited = size;
  std::vector<std::size_t> order_of(size, unvisited), low(size), component(size);
  std::vector<bool> on_stack(size);
  std::vector<std::size_t> stack;
  std::size_t counter = 0, components = 0;
  std::function<void(std::size_t)> visit = [&](std::size_t v) {
    order_of[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (const auto& [w, field] : graph.edges[v]) {
      if (order_of[w] == unvisited) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], order_of[w]);
      }
    }
    if (low[v] == order_of[v]) {
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component[w] = components;
      } while (w != v);
      ++components;
    }
  };
  for (std::size_t v = 0; v < size; ++v) {
    if (order_of[v] == unvisited) visit(v);
  }
  return component;
}

// Dependencies first, otherwise declaration order: a depth-first walk over
// the edges that are not boxed (which form no cycle). List element types
// also go first when that breaks no rule: a std::vector member of a type
// defined later cannot have a `{}` initializer (clang), and members without
// one make designated initializers warn (-Wmissing-field-initializers).
void definition_order(const MessageGraph& graph, const std::vector<std::size_t>& component, TypeOrder& result) {
  const std::size_t size = graph.messages.size();
  std::vector<std::vector<std::size_t>> hard(size), soft(size);
  for (std::size_t v = 0; v < size; ++v) {
    for (const auto& [w, field] : graph.edges[v]) {
      if (component[v] != component[w]) hard[v].push_back(w);
    }
    for (const model::Field& field : graph.messages[v]->fields) {
      const model::Message* element = list_element(field.type);
      if (const auto it = graph.index.find(element); element != nullptr && it != graph.index.end()) {
        soft[v].push_back(it->second);
      }
    }
  }
  enum class State { Pending, InProgress, Done };
  std::vector<State> state(size, State::Pending);
  // Whether emitting w now would define it before something it needs.
  auto needs_in_progress = [&](std::size_t w) {
    std::vector<bool> seen(size);
    std::vector<std::size_t> todo{w};
    while (!todo.empty()) {
      const std::size_t u = todo.back();
      todo.pop_back();
      if (state[u] == State::InProgress) return true;
      if (seen[u] || state[u] == State::Done) continue;
      seen[u] = true;
      todo.insert(todo.end(), hard[u].begin(), hard[u].end());
    }
    return false;
  };
  std::function<void(std::size_t)> emit = [&](std::size_t v) {
    if (state[v] != State::Pending) return;
    state[v] = State::InProgress;
    for (const std::size_t w : hard[v]) emit(w);
    for (const std::size_t w : soft[v]) {
      if (state[w] == State::Pending && !needs_in_progress(w)) emit(w);
    }
    state[v] = State::Done;
    result.position[graph.messages[v]] = result.messages.size();
    result.messages.push_back(graph.messages[v]);
  };
  for (std::size_t v = 0; v < size; ++v) emit(v);
}

}  // namespace

TypeOrder order_types(const model::File& file) {
  const MessageGraph graph = message_graph(file);
  const std::vector<std::size_t> component = components_of(graph);
  TypeOrder result;
  for (std::size_t v = 0; v < graph.messages.size(); ++v) {
    for (const auto& [w, field] : graph.edges[v]) {
      if (component[v] == component[w]) result.boxed_fields.insert({graph.messages[v], field});
    }
  }
  definition_order(graph, component, result);
  return result;
}

}  // namespace idlc::backend
