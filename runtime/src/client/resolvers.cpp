#include "client/resolvers.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>

#include "client/dns_lookup.hpp"
#include "client/polling_resolver.hpp"
#include "transport/address.hpp"

namespace idlrpc::detail {
namespace {

constexpr std::string_view kBuiltinSchemes[] = {"unix", "ipv4", "ipv6", "dns", "file"};

[[noreturn]] void bad(std::string_view target, std::string_view why) {
  throw std::invalid_argument(fmt::format("invalid target \"{}\": {}", target, why));
}

struct Parts {
  std::string_view scheme;  // empty: a plain "host:port"
  std::string_view authority;
  std::string_view path;
};

bool is_scheme(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// Resolvers registered by the application.
struct Registry {
  std::mutex mutex;
  std::map<std::string, ResolverFactory, std::less<>> factories;
};
Registry& registry() {
  static Registry instance;
  return instance;
}

ResolverFactory registered(std::string_view scheme) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.factories.find(scheme);
  return it == r.factories.end() ? ResolverFactory{} : it->second;
}

bool is_builtin(std::string_view scheme) {
  for (const auto builtin : kBuiltinSchemes) {
    if (scheme == builtin) return true;
  }
  return false;
}

// "scheme:rest" when the scheme is one we know (built in or registered);
// anything else ("localhost:5000", "[::1]:5000") is a plain host:port.
Parts split(std::string_view target) {
  const auto colon = target.find(':');
  if (colon == std::string_view::npos) return {{}, {}, target};
  const std::string_view scheme = target.substr(0, colon);
  if (!is_scheme(scheme) || (!is_builtin(scheme) && !registered(scheme))) return {{}, {}, target};
  std::string_view rest = target.substr(colon + 1);
  if (!rest.starts_with("//")) return {scheme, {}, rest};
  rest.remove_prefix(2);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return {scheme, rest, {}};
  return {scheme, rest.substr(0, slash), rest.substr(slash + 1)};
}

// Reports its fixed list once.
class StaticResolver final : public Resolver {
 public:
  StaticResolver(std::vector<std::string> addresses, const ResolverSink& sink) { sink({std::move(addresses), {}}); }
};

std::vector<std::string> address_list(std::string_view target, std::string_view list, int family) {
  std::vector<std::string> addresses;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    Address address;
    try {
      address = parse_address(item);
    } catch (const std::invalid_argument& e) {
      bad(target, e.what());
    }
    const auto* tcp = std::get_if<TcpAddress>(&address);
    unsigned char raw[16];
    if (tcp == nullptr || inet_pton(family, tcp->host.c_str(), raw) != 1) {
      bad(target, fmt::format("\"{}\" is not an {} address with a port", item, family == AF_INET ? "IPv4" : "IPv6"));
    }
    addresses.push_back(to_string(address));
  }
  if (addresses.empty()) bad(target, "no addresses");
  return addresses;
}

TcpAddress dns_name(std::string_view target, std::string_view name) {
  try {
    auto address = parse_address(name);
    if (auto* tcp = std::get_if<TcpAddress>(&address)) return *tcp;
  } catch (const std::invalid_argument& e) {
    bad(target, e.what());
  }
  bad(target, "expected dns:///name:port");
}

// One address per line of a file; '#' starts a comment.
Resolution read_address_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return {{}, fmt::format("cannot read {}", path)};
  Resolution resolution;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    try {
      resolution.addresses.push_back(to_string(parse_address(line)));
    } catch (const std::invalid_argument& e) {
      // Half a list is worse than the previous whole one: report, keep it.
      return {{}, fmt::format("{}:{}: {}", path, number, e.what())};
    }
  }
  if (file.bad()) return {{}, fmt::format("cannot read {}", path)};
  return resolution;
}

}  // namespace

void check_target(std::string_view target) {
  const Parts parts = split(target);
  if (parts.scheme.empty() || parts.scheme == "unix") {
    parse_address(target);  // its message names the target and the forms it takes
  } else if (parts.scheme == "ipv4") {
    address_list(target, parts.path, AF_INET);
  } else if (parts.scheme == "ipv6") {
    address_list(target, parts.path, AF_INET6);
  } else if (parts.scheme == "dns") {
    dns_name(target, parts.path);
  } else if (parts.scheme == "file") {
    if (!parts.authority.empty()) bad(target, "expected file:///path or file:/path");
    if (parts.path.empty()) bad(target, "empty path");
  }
}

std::string target_host(std::string_view target) {
  const Parts parts = split(target);
  if (!parts.scheme.empty() && parts.scheme != "dns") return {};
  try {
    const Address address = parse_address(parts.scheme.empty() ? target : parts.path);
    if (const auto* tcp = std::get_if<TcpAddress>(&address)) return tcp->host;
  } catch (const std::invalid_argument&) {
  }
  return {};
}

std::unique_ptr<Resolver> make_resolver(std::string_view target, const ChannelOptions& options,
                                        const boost::asio::any_io_executor& executor, ResolverSink sink) {
  check_target(target);
  const Parts parts = split(target);
  if (parts.scheme.empty() || parts.scheme == "unix") {
    // One address; a name in it is looked up at each connect (in order,
    // the first that connects wins), as a channel always did.
    return std::make_unique<StaticResolver>(std::vector<std::string>{std::string(target)}, sink);
  }
  if (parts.scheme == "ipv4") return std::make_unique<StaticResolver>(address_list(target, parts.path, AF_INET), sink);
  if (parts.scheme == "ipv6") return std::make_unique<StaticResolver>(address_list(target, parts.path, AF_INET6), sink);
  if (parts.scheme == "dns") {
    const TcpAddress name = dns_name(target, parts.path);
    PollingResolver::Lookup lookup = [server = std::string(parts.authority), name] {
      return server.empty() ? lookup_system(name.host, name.port) : lookup_at(server, name.host, name.port);
    };
    return std::make_unique<PollingResolver>(executor, std::move(lookup), options.dns_refresh_interval,
                                             options.dns_min_interval, std::move(sink));
  }
  if (parts.scheme == "file") {
    // "file:///etc/x" has an empty authority and the path after its slash.
    std::string path = target.substr(0, 7) == "file://" ? "/" + std::string(parts.path) : std::string(parts.path);
    return std::make_unique<PollingResolver>(
        executor, [path = std::move(path)] { return read_address_file(path); }, options.file_reload_interval,
        options.file_reload_interval, std::move(sink));
  }
  const ResolverFactory factory = registered(parts.scheme);
  std::unique_ptr<Resolver> resolver = factory(ResolverArgs{target, parts.authority, parts.path, options, sink});
  if (!resolver) bad(target, fmt::format("the resolver of scheme \"{}\" made nothing", parts.scheme));
  return resolver;
}

}  // namespace idlrpc::detail

namespace idlrpc {

void register_resolver(std::string scheme, ResolverFactory factory) {
  if (!detail::is_scheme(scheme)) {
    throw std::invalid_argument(fmt::format("invalid resolver scheme \"{}\"", scheme));
  }
  if (detail::is_builtin(scheme)) {
    throw std::invalid_argument(fmt::format("the \"{}\" scheme is built in", scheme));
  }
  if (!factory) throw std::invalid_argument("register_resolver: no factory");
  auto& r = detail::registry();
  std::lock_guard lock(r.mutex);
  r.factories.insert_or_assign(std::move(scheme), std::move(factory));
}

}  // namespace idlrpc
