// The fault-injection suite (issue 10): a server in a process of its own,
// an attacker in another (fault_peer), and a well-behaved client here. For
// each way a peer can misbehave it checks that the server's resident memory
// stays within the documented budget (docs/protocol.md section 9), that the
// good client keeps getting its answers meanwhile, and that the server is
// fine once the attacker has left. The figures are printed for the record
// (docs/protocol.md quotes them); the bounds asserted are generous, since
// timing belongs to benchmarks and this machine is shared.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "test_server.hpp"

extern char** environ;

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;
constexpr std::size_t kMiB = 1024 * 1024;

/// A child process with its stdin and stdout on pipes; killed when dropped.
class Process {
 public:
  explicit Process(std::vector<std::string> args, const std::string& stderr_path = "/dev/null") {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start " + args[0]);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = fdopen(out[0], "r");
  }
  ~Process() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ != nullptr) fclose(stdout_);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  /// The next line the process prints (without the newline), or "".
  std::string read_line() {
    char buffer[512];
    if (std::fgets(buffer, sizeof buffer, stdout_) == nullptr) return "";
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }
  /// Waits up to `limit` for the process to exit; its raw wait status, or
  /// nothing if it is still running.
  std::optional<int> wait_for(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    do {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (std::chrono::steady_clock::now() < until);
    return std::nullopt;
  }
  /// Waits for the process to exit (it bounds its own run time).
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  FILE* stdout_ = nullptr;
};

std::string build_dir() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  std::string self(path, n > 0 ? static_cast<std::size_t>(n) : 0);
  return self.substr(0, self.rfind('/'));
}

/// A field of /proc/PID/status, in bytes ("VmRSS", "VmHWM").
std::size_t status_bytes(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field + ":")) return std::stoul(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

/// User + system CPU time of a process, in clock ticks.
long cpu_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // fields 3..13
  long user = 0, system = 0;
  fields >> user >> system;
  return user + system;
}

/// A well-behaved client calling Echo in a loop on a connection of its own.
class GoodClient {
 public:
  explicit GoodClient(std::uint16_t port) : channel_("127.0.0.1:" + std::to_string(port)) {
    thread_ = std::thread([this] {
      Tester::Client client(channel_);
      TestRequest request;
      request.text = "still here";
      while (!stop_) {
        const auto start = std::chrono::steady_clock::now();
        bool ok = false;
        try {
          ok = client.Echo(request, CallOptions().set_timeout(5s)).text == request.text;
        } catch (const RpcError&) {
        }
        const auto took = std::chrono::steady_clock::now() - start;
        std::lock_guard lock(mutex_);
        (ok ? latencies_ : failures_).push_back(took);
        std::this_thread::sleep_for(5ms);
      }
    });
  }
  ~GoodClient() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::size_t succeeded() {
    std::lock_guard lock(mutex_);
    return latencies_.size();
  }
  std::size_t failed() {
    std::lock_guard lock(mutex_);
    return failures_.size();
  }
  double p99_ms() {
    std::lock_guard lock(mutex_);
    if (latencies_.empty()) return 0;
    auto sorted = latencies_;
    std::sort(sorted.begin(), sorted.end());
    const auto p99 = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
    return std::chrono::duration<double, std::milli>(p99).count();
  }

 private:
  Channel channel_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::chrono::steady_clock::duration> latencies_;
  std::vector<std::chrono::steady_clock::duration> failures_;
  std::thread thread_;
};

struct Figures {
  std::size_t before = 0, peak = 0, after = 0;
  std::size_t good_ok = 0, good_failed = 0;
  double good_p99_ms = 0;
  std::string peer_said;
};

class FaultTest : public ::testing::Test {
 protected:
  void start_server(const std::string& style = "blocking", std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {build_dir() + "/fault_server", style};
    args.insert(args.end(), flags.begin(), flags.end());
    server_log_ = ::testing::TempDir() + "fault_server_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log";
    server_ = std::make_unique<Process>(args, server_log_);
    const std::string line = server_->read_line();
    ASSERT_TRUE(line.starts_with("port ")) << "fault_server said: " << line;
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(5)));
    // Warm up: the first calls allocate what every later call reuses.
    GoodClient warm(port_);
    ASSERT_TRUE(eventually([&] { return warm.succeeded() >= 20; }));
  }

  /// Runs `fault_peer MODE PORT SECONDS N` while a good client calls.
  Figures attack(const std::string& mode, int seconds, unsigned n = 1) {
    Figures f;
    f.before = status_bytes(server_->pid(), "VmRSS");
    {
      GoodClient good(port_);
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
      Process peer({build_dir() + "/fault_peer", mode, std::to_string(port_), std::to_string(seconds),
                    std::to_string(n)});
      f.peer_said = peer.read_line();
      peer.wait();
      f.peak = status_bytes(server_->pid(), "VmHWM");
      std::this_thread::sleep_until(until);  // an attack cut short still gets its full time of good calls
      good.stop();
      f.good_ok = good.succeeded();
      f.good_failed = good.failed();
      f.good_p99_ms = good.p99_ms();
    }
    // The attacker has left: calls go through at once, memory comes back.
    GoodClient after(port_);
    EXPECT_TRUE(eventually([&] { return after.succeeded() >= 10; }, 10s));
    after.stop();
    EXPECT_EQ(after.failed(), 0u);
    std::this_thread::sleep_for(500ms);
    f.after = status_bytes(server_->pid(), "VmRSS");
    std::printf("[figures] %s: server RSS %.1f MiB before, %.1f peak, %.1f after; good client %zu ok, %zu failed, "
                "p99 %.1f ms; %s\n",
                mode.c_str(), f.before / double(kMiB), f.peak / double(kMiB), f.after / double(kMiB), f.good_ok,
                f.good_failed, f.good_p99_ms, f.peer_said.c_str());
    return f;
  }

  /// The good client was never refused and never waited long.
  static void expect_unharmed(const Figures& f) {
    EXPECT_GT(f.good_ok, 20u);
    EXPECT_EQ(f.good_failed, 0u);
    EXPECT_LT(f.good_p99_ms, 250.0);  // documented target: 100 ms; generous here (shared CI machine)
  }

  std::size_t server_log_count(const std::string& text) const {
    std::ifstream in(server_log_);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) n += line.find(text) != std::string::npos ? 1 : 0;
    return n;
  }

  std::unique_ptr<Process> server_;
  std::string server_log_;
  std::uint16_t port_ = 0;
};

TEST_F(FaultTest, APeerThatNeverReadsItsStreamsCostsItsBudget) {
  start_server();
  const Figures f = attack("no-read-streams", 6, 1000);
  expect_unharmed(f);
  // Budget: the write queue (4 MiB) plus 1,000 calls' state and one message each.
  EXPECT_LT(f.peak - f.before, 48 * kMiB);
}

TEST_F(FaultTest, APingFloodIsCutOff) {
  start_server();
  const Figures f = attack("ping-flood", 5);
  expect_unharmed(f);
  EXPECT_LT(f.peak - f.before, 16 * kMiB);
  EXPECT_EQ(server_log_count("too many pings"), 1u);
}

TEST_F(FaultTest, PingsThatAreAllowedButNeverReadAreCappedByTheQueueLimit) {
  // No ping interval to enforce: only the cap on queued frames stops it.
  start_server("blocking", {"--min-ping-interval-ms", "0"});
  const Figures f = attack("ping-flood", 6);
  expect_unharmed(f);
  EXPECT_LT(f.peak - f.before, 16 * kMiB);
  EXPECT_EQ(server_log_count("peer does not read what it asks for"), 1u);
}

TEST_F(FaultTest, OversizedMetadataIsRefusedWithoutBeingCopied) {
  start_server();
  const Figures f = attack("metadata-bomb", 4, 200);
  expect_unharmed(f);
  EXPECT_LT(f.peak - f.before, 32 * kMiB);
}

TEST_F(FaultTest, ALargeFrameBeforeTheHandshakeIsRefusedAtOnce) {
  start_server();
  const Figures f = attack("big-first-frame", 5);
  expect_unharmed(f);
  EXPECT_NE(f.peer_said.find("closed by the server"), std::string::npos) << f.peer_said;
  EXPECT_LT(f.peak - f.before, 8 * kMiB);
}

TEST_F(FaultTest, AStalledFrameClosesItsConnection) {
  start_server("blocking", {"--frame-progress-timeout-ms", "1000"});
  const Figures f = attack("slow-frame", 8);
  expect_unharmed(f);
  EXPECT_NE(f.peer_said.find("closed by the server"), std::string::npos) << f.peer_said;
  EXPECT_EQ(server_log_count("a frame stalled"), 1u);
}

TEST_F(FaultTest, OpeningAndCancellingCallsCannotPileUpWork) {
  start_server();
  const Figures f = attack("rapid-reset", 5, 20000);
  expect_unharmed(f);
  EXPECT_LT(f.peak - f.before, 48 * kMiB);
}

TEST_F(FaultTest, APeerIgnoringConnectionFlowControlIsClosed) {
  start_server();
  const Figures f = attack("unread-uploads", 8, 64);
  expect_unharmed(f);
  // Connection window (16 MiB) + one message, then the connection closes.
  EXPECT_LT(f.peak - f.before, 48 * kMiB);
  EXPECT_EQ(server_log_count("ignores connection flow control"), 1u);
}

TEST_F(FaultTest, SixteenIdleBlockingStreamsDoNotDelayUnaryCalls) {
  start_server("blocking");
  const Figures f = attack("idle-streams", 4, 16);
  expect_unharmed(f);
}

TEST_F(FaultTest, AThousandIdleBlockingStreamsAreRefusedPastTheLimitWhileUnaryCallsGoOn) {
  start_server("blocking", {"--max-blocking-streams", "256"});
  const Figures f = attack("idle-streams", 6, 1000);
  expect_unharmed(f);
}

TEST_F(FaultTest, OutOfFileDescriptorsTheServerBacksOffAndLogsOnce) {
  start_server("blocking", {"--max-fds", "64"});
  const long cpu_before = cpu_ticks(server_->pid());
  const auto wall_before = std::chrono::steady_clock::now();
  {
    Process peer({build_dir() + "/fault_peer", "connections", std::to_string(port_), "4", "200"});
    peer.read_line();
    peer.wait();
  }
  const double wall_ticks =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count() * sysconf(_SC_CLK_TCK);
  const long cpu = cpu_ticks(server_->pid()) - cpu_before;
  std::printf("[figures] connections: server CPU %.0f %% of one core while out of descriptors\n",
              100.0 * cpu / wall_ticks);
  EXPECT_LT(cpu, wall_ticks * 0.25) << "the accept loop spins";
  // Once per episode: an episode ends when an accept succeeds again (the
  // warm-up client's connection closing frees a descriptor, at a moment
  // this test does not control), so each further line must follow one.
  const std::size_t failures = server_log_count("Too many open files");
  EXPECT_GE(failures, 1u);
  EXPECT_LE(failures, server_log_count("accepting on") + 1) << "logged more than once per episode";
  // The attacker left: accepting works again.
  GoodClient after(port_);
  EXPECT_TRUE(eventually([&] { return after.succeeded() >= 10; }, 10s));
}

// Issue 15: Ctrl-C starts a graceful shutdown; a second Ctrl-C while a call
// holds the grace period open ends the process at once, with status 130.
TEST_F(FaultTest, ASecondSignalDuringTheGracePeriodExitsAtOnce) {
  start_server("blocking", {"--shutdown-on-signals-ms", "60000"});
  Tester::Client client(Channel("127.0.0.1:" + std::to_string(port_)));
  TestRequest stuck;
  stuck.wait_for_cancel = true;  // in flight until the server gives up on it
  auto call = client.async_Echo(stuck, boost::asio::use_future);
  std::this_thread::sleep_for(300ms);  // the handler is running

  ASSERT_EQ(kill(server_->pid(), SIGINT), 0);
  EXPECT_TRUE(eventually([&] { return server_log_count("signal 2: shutting down (grace 60000 ms)") == 1; }, 10s));
  // The grace period runs: the stuck call keeps the server up.
  EXPECT_FALSE(server_->wait_for(500ms).has_value()) << "the first signal ended the process";

  const auto second = std::chrono::steady_clock::now();
  ASSERT_EQ(kill(server_->pid(), SIGINT), 0);
  const std::optional<int> status = server_->wait_for(10s);
  const double took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - second).count();
  ASSERT_TRUE(status.has_value()) << "still running 10 s after the second SIGINT";
  std::printf("[figures] second SIGINT: the server exited %.1f ms later\n", took_ms);
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 130);
  EXPECT_LT(took_ms, 5000.0);
  EXPECT_EQ(server_log_count("signal 2 during shutdown: exiting at once with status 130"), 1u);
  // The call in flight learns that the server went away.
  EXPECT_EQ(code_of([&] { call.get(); }), StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace idlrpc::test
