// Box<T>: a message held by pointer with value semantics, for the fields
// that make a message contain itself (directly or through other messages).
// idlc uses it only on the fields that close such a cycle.
#pragma once

#include <memory>
#include <utility>

namespace idlrpc {

/// Behaves like a T that lives on the heap: copying copies the T, == compares
/// the T's. An empty Box (the default) reads as a default T and allocates
/// nothing, which is what lets `struct Node { Box<Node> next; }` exist.
template <class T>
class Box {
 public:
  Box() = default;
  Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit, for `.next = Node{...}`
  Box(const Box& other) : ptr_(other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) ptr_ = other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  Box& operator=(T value) {
    ptr_ = std::make_unique<T>(std::move(value));
    return *this;
  }

  /// True once a value was stored; an empty Box still reads as T{}.
  bool has_value() const noexcept { return ptr_ != nullptr; }

  const T& operator*() const { return ptr_ ? *ptr_ : default_value(); }
  const T* operator->() const { return &**this; }
  /// Mutable access allocates the T on first use.
  T& operator*() {
    if (!ptr_) ptr_ = std::make_unique<T>();
    return *ptr_;
  }
  T* operator->() { return &**this; }

  // Two empty boxes are equal without looking inside: T{} holds empty
  // boxes itself, so comparing the defaults would never end.
  friend bool operator==(const Box& a, const Box& b) {
    if (a.ptr_ == b.ptr_) return true;
    return *a == *b;
  }

 private:
  static const T& default_value() {
    static const T value{};
    return value;
  }

  std::unique_ptr<T> ptr_;
};

}  // namespace idlrpc
