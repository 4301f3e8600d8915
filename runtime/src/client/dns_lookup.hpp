// Blocking DNS lookups for the "dns:" resolver: every A and AAAA record of
// a name, through the system's resolver (getaddrinfo: /etc/hosts, then the
// name servers of /etc/resolv.conf) or, for "dns://server:port/name:port",
// by asking that name server directly (glibc's res_nquery), which is how a
// test or a sidecar DNS (Consul on port 8600) is reached without changing
// the machine's configuration.
//
// Threads: blocking; call them on the lookup thread only (lookup_thread.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "idlrpc/resolver.hpp"

namespace idlrpc::detail {

/// Addresses as "a.b.c.d:port" / "[v6]:port", in the order found, without
/// repeats; or an error.
Resolution lookup_system(const std::string& host, std::uint16_t port);
/// The same, asking only the name server at `server` ("a.b.c.d" or
/// "a.b.c.d:port", port 53 by default), one A and one AAAA query.
Resolution lookup_at(const std::string& server, const std::string& host, std::uint16_t port);

}  // namespace idlrpc::detail
