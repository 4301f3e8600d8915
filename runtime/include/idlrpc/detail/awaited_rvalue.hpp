// The GCC 12 guard of every awaited operation that takes a message: such
// operations refuse a message rvalue at compile time under GCC 12 (why:
// below). Included by the Asio stream operations and by the Asio-free
// unary awaitable alike.
#pragma once

namespace idlrpc::detail {

// GCC 12 miscompiles a class temporary made by aggregate initialization
// inside a co_await expression (`co_await w.write({.text = "x"})`,
// `co_await c.async_Get(GetRequest{...}, asio::use_awaitable)`): it builds
// the object in one place, copies its bytes into the coroutine frame, and
// destroys both copies (a double free, or free() of a pointer into the
// frame). Nothing the callee does helps, by value or by reference: the
// miscompiled code is the awaiting coroutine's. So with GCC 12 the APIs
// that are awaited refuse message rvalues at compile time
// (docs/generated-code.md, "GCC 12").
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#define IDLRPC_REJECT_AWAITED_RVALUES 1
#else
#define IDLRPC_REJECT_AWAITED_RVALUES 0
#endif
inline constexpr bool kRejectAwaitedRvalues = IDLRPC_REJECT_AWAITED_RVALUES;

/// Called by the overloads that take a Message rvalue (`{.key = "k"}`).
/// `Awaited`: whether they return something to co_await.
template <class Message, bool Awaited>
constexpr void check_awaited_rvalue() {
  static_assert(!(kRejectAwaitedRvalues && Awaited),
                "idlrpc: GCC 12 destroys a message built inside a co_await expression twice "
                "(a double free). Build it in a named variable and pass that: "
                "`GetRequest request{.key = \"k\"}; co_await client.async_Get(request, asio::use_awaitable);` "
                "(or `co_await client.co_Get(request)`), "
                "`Entry entry{...}; co_await writer.write(entry);` (docs/generated-code.md, \"GCC 12\")");
}

}  // namespace idlrpc::detail
