// tasks_client: submits tasks, watches them, reads the queue's statistics.
//
//   tasks_client [--target localhost:50057] [--lb round_robin] submit TYPE PAYLOAD [--priority N] [--delay-ms MS]
//   tasks_client [--target localhost:50057] watch ID
//   tasks_client [--target localhost:50057] stats
//   tasks_client [--target localhost:50057]        submits four tasks and watches them
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "tasks.idl.h"

namespace {

// Prints each status of the task until it is DONE or FAILED (a minute at most).
void watch(tasks::TaskQueue::Client& queue, std::uint64_t id) {
  for (const auto& status : queue.Watch({.id = id}, idlrpc::CallOptions{}.set_timeout(std::chrono::minutes(1)))) {
    fmt::print("task {}: {}", status.id, enum_name(status.state));
    if (!status.worker.empty()) fmt::print(" on {}", status.worker);
    if (!status.result.empty()) fmt::print(": {}", status.result);
    fmt::print(" (attempts: {})\n", status.attempts);
    std::fflush(stdout);
  }
}

std::uint64_t submit(tasks::TaskQueue::Client& queue, const tasks::TaskSpec& spec) {
  const std::uint64_t id = queue.Submit(spec).id;
  fmt::print("task {} submitted: {} {}, priority {}, delay {} ms\n", id, spec.type, spec.payload, spec.priority,
             spec.delay_ms);
  return id;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Submits tasks to the task queue and watches them."};
  std::string target = "localhost:50057";
  app.add_option("--target", target, "queue address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  tasks::TaskSpec spec;
  auto* submit_command = app.add_subcommand("submit", "queue a task and print its id");
  submit_command->add_option("type", spec.type, "task type (the example's workers run sleep and reverse)")->required();
  submit_command->add_option("payload", spec.payload, "its input: milliseconds to sleep, text to reverse");
  submit_command->add_option("--priority", spec.priority, "higher runs first");
  submit_command->add_option("--delay-ms", spec.delay_ms, "not run before this many ms from now");
  std::uint64_t id = 0;
  auto* watch_command = app.add_subcommand("watch", "print a task's status changes until it ends");
  watch_command->add_option("id", id, "the task")->required();
  auto* stats_command = app.add_subcommand("stats", "print the queue's statistics");
  CLI11_PARSE(app, argc, argv);

  tasks::TaskQueue::Client queue{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  try {
    if (*submit_command) {
      submit(queue, spec);
    } else if (*watch_command) {
      watch(queue, id);
    } else if (*stats_command) {
      auto stats = queue.Stats({});
      fmt::print("queued {}, running {}, done {}, failed {}; workers online {}, lost {}\n", stats.queued,
                 stats.running, stats.done, stats.failed, stats.workers_online, stats.workers_lost);
    } else {
      std::vector<std::uint64_t> ids = {
          submit(queue, {.type = "sleep", .payload = "500", .priority = 1}),
          submit(queue, {.type = "reverse", .payload = "stressed", .priority = 5}),
          submit(queue, {.type = "sleep", .payload = "200", .priority = 9, .delay_ms = 2000}),
          submit(queue, {.type = "reverse", .payload = "drawer", .priority = 3}),
      };
      for (auto task : ids) watch(queue, task);
    }
  } catch (const idlrpc::RpcError& e) {
    fmt::print(stderr, "tasks_client: {}\n", e.what());
    return 1;
  }
  return 0;
}
