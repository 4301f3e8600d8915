// The C++ type of the IDL's `bytes`: a byte vector that also converts from
// and to text, since binary fields often carry strings (tokens, keys,
// serialized messages). A plain value type; no threading concerns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace idlrpc {

/// `bytes` in C++. It is a `std::vector<std::uint8_t>` (it derives from one,
/// adding no state), so every vector operation works, and it converts from
/// and to strings:
///
///     Blob blob{.data = "token"};                 // from a string literal,
///     blob.data = some_std_string;                // a std::string,
///     blob.data = some_string_view;               // a std::string_view
///     std::string_view view = blob.data;          // no copy, like std::string
///     std::string copy = blob.data.str();         // or std::string(blob.data)
///     if (blob.data == "token") ...
///
/// The bytes are taken as they are: no encoding, embedded NULs kept
/// (except that a `const char*` ends at its first NUL, as for std::string).
/// On the wire it is Cap'n Proto Data, encoded exactly like List(UInt8), so
/// a `bytes` field and a `list<uint8>` field (`std::vector<std::uint8_t>`)
/// are interchangeable on the wire.
class Bytes : public std::vector<std::uint8_t> {
 public:
  using std::vector<std::uint8_t>::vector;
  Bytes() = default;
  Bytes(std::vector<std::uint8_t> bytes) noexcept : std::vector<std::uint8_t>(std::move(bytes)) {}
  Bytes(std::string_view text) : std::vector<std::uint8_t>(text.begin(), text.end()) {}
  Bytes(const std::string& text) : Bytes(std::string_view(text)) {}
  Bytes(const char* text) : Bytes(std::string_view(text)) {}

  /// The bytes as characters, without a copy; valid while this is unchanged.
  std::string_view view() const noexcept { return {reinterpret_cast<const char*>(data()), size()}; }
  /// A copy of the bytes as a std::string.
  std::string str() const { return std::string(view()); }
  operator std::string_view() const noexcept { return view(); }

  // Equality with a plain vector too, exactly, or it would be ambiguous
  // between the vector's comparison and converting the vector to Bytes.
  friend bool operator==(const Bytes&, const Bytes&) = default;
  friend bool operator==(const Bytes& a, const std::vector<std::uint8_t>& b) noexcept {
    return static_cast<const std::vector<std::uint8_t>&>(a) == b;
  }
  /// Byte-wise comparison with text (`blob.data == "token"`). A template,
  /// so that it is an exact match for a literal or a std::string and never
  /// competes with the comparison of two byte vectors.
  template <class Text>
    requires(std::is_convertible_v<const Text&, std::string_view> &&
             !std::is_base_of_v<std::vector<std::uint8_t>, Text>)
  friend bool operator==(const Bytes& bytes, const Text& text) noexcept {
    return bytes.view() == std::string_view(text);
  }
};

}  // namespace idlrpc
