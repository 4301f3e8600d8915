// Call metadata: an ordered multimap of lowercase string keys to values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idlrpc {

/// Metadata travels with a call's request (client → server) and with its
/// response (initial metadata before the first message, trailing metadata
/// with the status). Keys are ASCII and stored lowercase, so lookups ignore
/// case; a key may repeat. Values are byte strings: any bytes may be stored,
/// and, as in gRPC, keys ending in "-bin" mark values meant as binary.
class Metadata {
 public:
  using Entry = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Entry>::const_iterator;

  Metadata() = default;
  Metadata(std::initializer_list<std::pair<std::string_view, std::string_view>> entries);

  /// Appends an entry. Throws std::invalid_argument for an empty key or one
  /// with characters outside [A-Za-z0-9-_.].
  Metadata& add(std::string_view key, std::string_view value);
  /// Replaces every entry under `key` with one (appended last).
  Metadata& set(std::string_view key, std::string_view value);

  /// The first value stored under `key`, if any.
  std::optional<std::string_view> get(std::string_view key) const;
  /// Every value stored under `key`, in insertion order.
  std::vector<std::string_view> get_all(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }

  bool empty() const noexcept { return entries_.empty(); }
  std::size_t size() const noexcept { return entries_.size(); }
  const_iterator begin() const noexcept { return entries_.begin(); }
  const_iterator end() const noexcept { return entries_.end(); }

  friend bool operator==(const Metadata&, const Metadata&) = default;

 private:
  std::vector<Entry> entries_;
};

/// True when `key` follows the "-bin" convention for binary values.
bool is_binary_key(std::string_view key) noexcept;

}  // namespace idlrpc
