#include "measure.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bench {

double Samples::percentile(double p) {
  if (values_.empty()) throw ScenarioFailure("no latency samples were taken");
  if (!sorted_) {
    std::sort(values_.begin(), values_.end());
    sorted_ = true;
  }
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values_.size())));
  rank = std::clamp<std::size_t>(rank, 1, values_.size());
  return values_[rank - 1];
}

double round_to_tenths(double value) { return std::round(value * 10.0) / 10.0; }
std::int64_t round_to_int(double value) { return std::llround(value); }

std::uint16_t port_of(const std::string& target) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("target '" + target + "' is not HOST:PORT");
  const std::string digits = target.substr(colon + 1);
  std::size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(digits, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (digits.empty() || used != digits.size() || port == 0 || port > 65535)
    throw std::invalid_argument("target '" + target + "' has no valid port");
  return static_cast<std::uint16_t>(port);
}

namespace {

// Socket inodes of this process's open descriptors ("socket:[12345]").
ConnectionSet own_socket_inodes() {
  ConnectionSet inodes;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const auto target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (!ec && target.starts_with("socket:[") && target.ends_with("]"))
      inodes.insert(target.substr(8, target.size() - 9));
  }
  return inodes;
}

// Lines of /proc/net/tcp: "sl local_address rem_address st ... inode ...",
// addresses as HEX_IP:HEX_PORT, state 01 = ESTABLISHED, inode the 10th field.
void collect_from(const char* table, std::uint16_t remote_port, const ConnectionSet& own, ConnectionSet& out) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
      continue;
    const auto colon = remote.rfind(':');
    if (state != "01" || colon == std::string::npos) continue;
    if (std::stoul(remote.substr(colon + 1), nullptr, 16) == remote_port && own.contains(inode)) out.insert(inode);
  }
}

}  // namespace

ConnectionSet established_connections_to(std::uint16_t remote_port) {
  const ConnectionSet own = own_socket_inodes();
  ConnectionSet found;
  collect_from("/proc/net/tcp", remote_port, own, found);
  collect_from("/proc/net/tcp6", remote_port, own, found);
  return found;
}

std::size_t opened_between(const ConnectionSet& before, const ConnectionSet& after) {
  std::size_t opened = 0;
  for (const auto& connection : after) opened += before.contains(connection) ? 0 : 1;
  return opened;
}

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t total_pages = 0, resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::uint64_t process_cpu_microseconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto micros = [](const timeval& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(t.tv_usec);
  };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

}  // namespace bench
