// A test-only hook, deliberately outside the public headers: the shortest
// client keepalive_time a Channel accepts. ChannelOptions raises anything
// shorter to 10 s, as gRPC does, because pings more frequent than that
// cost servers and trip their ping policy (too_many_pings). Tests of
// keepalive cannot wait 10 s many times, so they lower the floor here
// (tests/runtime/keepalive_test.cpp) and put it back when done. Channels
// read it when they are created.
//
// Threading: set it while no channel is being created.
#pragma once

#include <chrono>

namespace idlrpc::detail {

/// 10 s unless a test changed it.
std::chrono::milliseconds client_keepalive_floor() noexcept;
/// Tests only: the new floor; returns the previous one.
std::chrono::milliseconds set_client_keepalive_floor_for_tests(std::chrono::milliseconds floor) noexcept;

}  // namespace idlrpc::detail
