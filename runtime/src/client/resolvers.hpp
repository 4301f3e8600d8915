// From a Channel's target to its resolver: splits "scheme:..." targets,
// makes the built-in resolvers ("host:port", "unix:", "ipv4:", "ipv6:",
// "dns:", "file:") and those of register_resolver() (idlrpc/resolver.hpp).
//
// Threads: make_resolver() runs on the channel's I/O thread;
// register_resolver() on any.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "idlrpc/channel.hpp"
#include "idlrpc/resolver.hpp"

namespace idlrpc::detail {

/// Throws std::invalid_argument with what is wrong with `target`. Checks
/// only, for a channel to report a malformed target before starting.
void check_target(std::string_view target);

/// The host name a target names ("host" of "host:port" and of
/// "dns:///host:port"), or empty (address lists, files, other schemes).
std::string target_host(std::string_view target);

/// The resolver of `target`, reporting to `sink`; throws
/// std::invalid_argument with what is wrong with the target.
std::unique_ptr<Resolver> make_resolver(std::string_view target, const ChannelOptions& options,
                                        const boost::asio::any_io_executor& executor, ResolverSink sink);

}  // namespace idlrpc::detail
