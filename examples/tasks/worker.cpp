// tasks_worker: takes tasks from the queue and runs them, one at a time.
//
//   tasks_worker --name A [--target localhost:50057] [--types sleep,reverse]
//                [--heartbeat-ms 250]
//
// One bidirectional stream carries the whole session: a hello with the
// types this worker runs, then tasks from the queue and, for each, a
// heartbeat every --heartbeat-ms while it runs and the result at the end.
// The task runs on a thread of its own; this thread does all the stream's
// reads and writes (a stream allows one of each at a time).
#include <CLI/CLI.hpp>
#include <fmt/ranges.h>
#include <idlrpc/channel.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tasks.idl.h"

namespace {

// The work itself; what a task type means is up to its workers.
std::string run(const tasks::Assignment& task) {
  if (task.type == "sleep") {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(task.payload)));
    return fmt::format("slept {} ms", task.payload);
  }
  if (task.type == "reverse") return std::string(task.payload.rbegin(), task.payload.rend());
  throw std::invalid_argument("this worker cannot run " + task.type);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs tasks from the task queue."};
  std::string target = "localhost:50057";
  std::string name;
  std::vector<std::string> types = {"sleep", "reverse"};
  int heartbeat_ms = 250;
  app.add_option("--target", target, "queue address: host:port or unix:/path");
  app.add_option("--name", name, "this worker's name")->required();
  app.add_option("--types", types, "the task types it runs")->delimiter(',');
  app.add_option("--heartbeat-ms", heartbeat_ms, "heartbeat period while running a task");
  CLI11_PARSE(app, argc, argv);

  tasks::TaskQueue::Client queue{idlrpc::Channel(target)};
  try {
    auto work = queue.Work();
    work.write({.hello = tasks::WorkerHello{.name = name, .capabilities = types}});
    fmt::print("worker {} ready for {}\n", name, fmt::join(types, ","));
    std::fflush(stdout);
    for (const tasks::Assignment& task : work) {
      fmt::print("worker {} running task {}: {} {}\n", name, task.task_id, task.type, task.payload);
      std::fflush(stdout);
      auto running = std::async(std::launch::async, run, task);
      bool open = true;
      while (open && running.wait_for(std::chrono::milliseconds(heartbeat_ms)) != std::future_status::ready) {
        open = work.write({});  // a heartbeat
      }
      tasks::TaskResult result{.task_id = task.task_id, .ok = true};
      try {
        result.output = running.get();
      } catch (const std::exception& e) {
        result = {.task_id = task.task_id, .ok = false, .output = e.what()};
      }
      fmt::print("worker {} finished task {}: {}\n", name, task.task_id, result.output);
      std::fflush(stdout);
      if (!open || !work.write({.result = result})) break;  // the call is over: finish() says why
    }
    work.finish();
  } catch (const idlrpc::RpcError& e) {
    fmt::print(stderr, "tasks_worker {}: {}\n", name, e.what());
    return 1;
  }
  return 0;
}
