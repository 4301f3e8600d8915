#include "client/dns_lookup.hpp"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include <fmt/core.h>

namespace idlrpc::detail {
namespace {

std::string with_port(int family, const void* raw, std::uint16_t port) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, raw, text, sizeof text);
  return family == AF_INET6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

void add_unique(std::vector<std::string>& out, std::string address) {
  if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(std::move(address));
}

// The records of `type` (A or AAAA) in an answer, appended to `out`; false
// if the answer does not parse.
bool parse_answer(const unsigned char* answer, int length, int type, std::uint16_t port,
                  std::vector<std::string>& out) {
  ns_msg message;
  if (ns_initparse(answer, length, &message) != 0) return false;
  const int count = ns_msg_count(message, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr record;
    if (ns_parserr(&message, ns_s_an, i, &record) != 0) return false;
    if (ns_rr_type(record) != type) continue;  // a CNAME on the way
    if (type == ns_t_a && ns_rr_rdlen(record) == 4) add_unique(out, with_port(AF_INET, ns_rr_rdata(record), port));
    if (type == ns_t_aaaa && ns_rr_rdlen(record) == 16) add_unique(out, with_port(AF_INET6, ns_rr_rdata(record), port));
  }
  return true;
}

}  // namespace

Resolution lookup_system(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int error = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); error != 0) {
    return {{}, fmt::format("cannot resolve {}: {}", host, gai_strerror(error))};
  }
  Resolution resolution;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    if (entry->ai_family == AF_INET) {
      add_unique(resolution.addresses,
                 with_port(AF_INET, &reinterpret_cast<const sockaddr_in*>(entry->ai_addr)->sin_addr, port));
    } else if (entry->ai_family == AF_INET6) {
      add_unique(resolution.addresses,
                 with_port(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(entry->ai_addr)->sin6_addr, port));
    }
  }
  freeaddrinfo(found);
  if (resolution.addresses.empty()) resolution.error = fmt::format("cannot resolve {}: no addresses", host);
  return resolution;
}

Resolution lookup_at(const std::string& server, const std::string& host, std::uint16_t port) {
  // The server: an IPv4 literal with an optional port (glibc's resolver
  // state holds IPv4 name servers in nsaddr_list).
  std::string server_host = server;
  unsigned server_port = 53;
  if (const auto colon = server.find(':'); colon != std::string::npos) {
    server_host = server.substr(0, colon);
    const char* first = server.data() + colon + 1;
    const char* last = server.data() + server.size();
    const auto [end, ec] = std::from_chars(first, last, server_port);
    if (ec != std::errc() || end != last || server_port == 0 || server_port > 65535) {
      return {{}, fmt::format("invalid DNS server \"{}\": bad port", server)};
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(server_port));
  if (inet_pton(AF_INET, server_host.c_str(), &address.sin_addr) != 1) {
    return {{}, fmt::format("invalid DNS server \"{}\": expected an IPv4 address", server)};
  }
  struct __res_state state;
  std::memset(&state, 0, sizeof state);
  if (res_ninit(&state) != 0) return {{}, "cannot initialise the DNS resolver"};
  state.nscount = 1;
  state.nsaddr_list[0] = address;
  state.retrans = 1;  // seconds per try: a lookup is bounded (2 tries, 2 queries: 4 s)
  state.retry = 2;
  state.options &= ~static_cast<unsigned long>(RES_DNSRCH | RES_DEFNAMES);  // the name as given

  Resolution resolution;
  bool answered = false;
  unsigned char answer[4096];
  for (const int type : {ns_t_a, ns_t_aaaa}) {
    const int length = res_nquery(&state, host.c_str(), ns_c_in, type, answer, sizeof answer);
    if (length < 0) continue;  // NXDOMAIN, no records of this type, no answer
    answered = true;
    if (!parse_answer(answer, length, type, port, resolution.addresses)) {
      resolution.error = fmt::format("cannot resolve {} at {}: malformed answer", host, server);
    }
  }
  const int h_error = state.res_h_errno;
  res_nclose(&state);
  if (!resolution.addresses.empty()) resolution.error.clear();  // what was found is usable
  if (resolution.addresses.empty() && resolution.error.empty()) {
    resolution.error = fmt::format("cannot resolve {} at {}: {}", host, server,
                                   answered ? "no addresses" : hstrerror(h_error));
  }
  return resolution;
}

}  // namespace idlrpc::detail
