#include "idlrpc/metadata.hpp"

#include <stdexcept>

namespace idlrpc {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool valid_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// Keys compare case-insensitively because they are stored lowercase; the
// probe is lowercased on the fly so lookups allocate nothing.
bool key_equals(std::string_view stored, std::string_view probe) {
  if (stored.size() != probe.size()) return false;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (stored[i] != lower(probe[i])) return false;
  }
  return true;
}

}  // namespace

Metadata::Metadata(std::initializer_list<std::pair<std::string_view, std::string_view>> entries) {
  for (const auto& [key, value] : entries) add(key, value);
}

Metadata& Metadata::add(std::string_view key, std::string_view value) {
  if (key.empty()) throw std::invalid_argument("metadata key is empty");
  std::string lowered(key);
  for (char& c : lowered) {
    c = lower(c);
    if (!valid_key_char(c)) {
      throw std::invalid_argument("metadata key \"" + std::string(key) +
                                  "\" has a character outside [A-Za-z0-9-_.]");
    }
  }
  entries_.emplace_back(std::move(lowered), std::string(value));
  return *this;
}

Metadata& Metadata::set(std::string_view key, std::string_view value) {
  add(key, value);  // checks and lowers the key
  Entry added = std::move(entries_.back());
  entries_.pop_back();
  std::erase_if(entries_, [&](const Entry& entry) { return entry.first == added.first; });
  entries_.push_back(std::move(added));
  return *this;
}

std::optional<std::string_view> Metadata::get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (key_equals(k, key)) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Metadata::get_all(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [k, v] : entries_) {
    if (key_equals(k, key)) values.emplace_back(v);
  }
  return values;
}

bool is_binary_key(std::string_view key) noexcept {
  return key.size() >= 4 && key.substr(key.size() - 4) == "-bin";
}

}  // namespace idlrpc
