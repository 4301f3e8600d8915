// tasks_queue_server: the task queue, with blocking handlers.
//
//   tasks_queue_server [--port 50057] [--heartbeat-timeout-ms 2000]
//
// One mutex guards the queue; one condition variable wakes whoever waits
// for a change: a worker's session waiting for a task that fits, a Watch
// waiting for its task to move. Each wait also ends when its call is
// cancelled (the context's stop token). A reaper thread drops the busy
// workers whose heartbeats stopped.
#include <CLI/CLI.hpp>
#include <fmt/ranges.h>
#include <idlrpc/server.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "tasks.idl.h"

namespace {

using idlrpc::StatusCode;
using Clock = std::chrono::steady_clock;
using tasks::TaskState;

struct Task {
  tasks::TaskSpec spec{};
  tasks::TaskStatus status{};
  Clock::time_point submitted{}, due{};
};

struct Worker {
  tasks::WorkerHello hello{};
  bool online = true;
  std::uint64_t task = 0;  // 0: idle
  Clock::time_point last_heard{};
};

class TaskQueueService final : public tasks::TaskQueue::Service {
 public:
  explicit TaskQueueService(std::chrono::milliseconds heartbeat_timeout)
      : heartbeat_timeout_(heartbeat_timeout), reaper_([this](std::stop_token stop) { reap(stop); }) {}

  tasks::TaskId Submit(idlrpc::ServerContext&, const tasks::TaskSpec& spec) override {
    if (spec.type.empty()) throw idlrpc::Error(StatusCode::INVALID_ARGUMENT, "a task needs a type");
    std::lock_guard lock(mutex_);
    const std::uint64_t id = tasks_.size() + 1;
    const auto now = Clock::now();
    tasks_[id] = {spec, {.id = id}, now, now + std::chrono::milliseconds(spec.delay_ms)};
    log("task {} queued: {} {}, priority {}, delay {} ms", id, spec.type, spec.payload, spec.priority, spec.delay_ms);
    return {.id = id};
  }

  void Watch(idlrpc::ServerContext& context, const tasks::TaskId& request,
             idlrpc::ServerWriter<tasks::TaskStatus>& writer) override {
    std::optional<tasks::TaskStatus> sent;
    for (;;) {
      std::unique_lock lock(mutex_);
      auto& task = find(request.id);
      changed_.wait(lock, context.cancellation(), [&] { return !sent || task.status != *sent; });
      if (context.is_cancelled()) return;
      sent = task.status;
      lock.unlock();
      if (!writer.write(*sent) || sent->state == TaskState::DONE || sent->state == TaskState::FAILED) return;
    }
  }

  tasks::QueueStats Stats(idlrpc::ServerContext&, const tasks::StatsRequest&) override {
    std::lock_guard lock(mutex_);
    tasks::QueueStats stats;
    for (const auto& [id, task] : tasks_) {
      switch (task.status.state) {
        case TaskState::QUEUED: ++stats.queued; break;
        case TaskState::RUNNING: ++stats.running; break;
        case TaskState::DONE: ++stats.done; break;
        case TaskState::FAILED: ++stats.failed; break;
      }
    }
    for (const auto& [id, worker] : workers_) ++(worker.online ? stats.workers_online : stats.workers_lost);
    return stats;
  }

  void Work(idlrpc::ServerContext& context,
            idlrpc::ServerReaderWriter<tasks::Assignment, tasks::WorkerMessage>& stream) override {
    auto first = stream.read();
    if (!first || !first->hello) throw idlrpc::Error(StatusCode::INVALID_ARGUMENT, "say hello first");
    const std::uint64_t worker = join(*first->hello);
    // However the session ends, the worker leaves, and its task goes back.
    struct Leave {
      TaskQueueService* queue;
      std::uint64_t worker;
      ~Leave() {
        std::lock_guard lock(queue->mutex_);
        queue->drop(queue->workers_[worker], "went away");
      }
    } leave{this, worker};
    while (auto task = next_task(worker, context.cancellation())) {
      if (!stream.write(*task)) return;
      for (;;) {  // the worker is busy: read heartbeats until its result
        // If the reaper drops the worker meanwhile, this read still waits:
        // for its next message (refused below) or for its connection to end.
        auto message = stream.read();
        if (!message) return;
        if (!heard_from(worker, *message)) {
          throw idlrpc::Error(StatusCode::ABORTED, "dropped for missing heartbeats; your task went to another worker");
        }
        if (message->result) break;
      }
    }
  }

 private:
  template <class... Args>
  void log(fmt::format_string<Args...> format, Args&&... args) {  // callers hold the lock
    fmt::print(format, std::forward<Args>(args)...);
    fmt::print("\n");
    std::fflush(stdout);
    ++changes_;
    changed_.notify_all();  // everything logged is a change
  }

  Task& find(std::uint64_t id) {
    auto found = tasks_.find(id);
    if (found == tasks_.end()) throw idlrpc::Error(StatusCode::NOT_FOUND, fmt::format("no task {}", id));
    return found->second;
  }

  std::uint64_t join(const tasks::WorkerHello& hello) {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = workers_.size() + 1;
    workers_[id] = {.hello = hello};
    log("worker {} joined for {}", hello.name, fmt::join(hello.capabilities, ","));
    return id;
  }

  // Waits for the most urgent due task this worker can run, and gives it.
  std::optional<tasks::Assignment> next_task(std::uint64_t id, std::stop_token stop) {
    std::unique_lock lock(mutex_);
    Worker& worker = workers_[id];
    while (!stop.stop_requested() && worker.online) {
      Task* best = nullptr;
      auto wake = Clock::now() + std::chrono::hours(1);
      for (auto& [task_id, task] : tasks_) {
        const auto& types = worker.hello.capabilities;
        if (task.status.state != TaskState::QUEUED) continue;
        if (std::find(types.begin(), types.end(), task.spec.type) == types.end()) continue;
        if (task.due > Clock::now()) {
          wake = std::min(wake, task.due);  // not yet: wake when it is due
        } else if (!best || task.spec.priority > best->spec.priority) {
          best = &task;  // ties: the lowest id, found first
        }
      }
      if (best) {
        best->status = {.id = best->status.id, .state = TaskState::RUNNING, .worker = worker.hello.name,
                        .attempts = best->status.attempts + 1};
        worker.task = best->status.id;
        worker.last_heard = Clock::now();
        log("task {} -> worker {}, {:.2f} s after it was submitted", best->status.id, worker.hello.name,
            std::chrono::duration<double>(Clock::now() - best->submitted).count());
        return tasks::Assignment{.task_id = best->status.id, .type = best->spec.type, .payload = best->spec.payload};
      }
      changed_.wait_until(lock, stop, wake, [&, seen = changes_] { return changes_ != seen; });
    }
    return std::nullopt;
  }

  // A heartbeat, perhaps with a result. false: the worker was dropped.
  bool heard_from(std::uint64_t id, const tasks::WorkerMessage& message) {
    std::lock_guard lock(mutex_);
    Worker& worker = workers_[id];
    if (!worker.online) {
      log("worker {} was dropped: its late message is refused", worker.hello.name);
      return false;
    }
    worker.last_heard = Clock::now();
    if (message.result) {
      if (message.result->task_id != worker.task) {
        throw idlrpc::Error(StatusCode::INVALID_ARGUMENT,
                            fmt::format("you do not run task {}", message.result->task_id));
      }
      Task& task = find(worker.task);
      task.status.state = message.result->ok ? TaskState::DONE : TaskState::FAILED;
      task.status.result = message.result->output;
      worker.task = 0;
      log("task {} {} by worker {}: {}", task.status.id, enum_name(task.status.state), worker.hello.name,
          task.status.result);
    }
    return true;
  }

  void drop(Worker& worker, std::string_view why) {  // callers hold the lock
    if (!worker.online) return;
    worker.online = false;
    if (worker.task == 0) return log("worker {} {}", worker.hello.name, why);
    Task& task = find(std::exchange(worker.task, 0));
    task.status.state = TaskState::QUEUED;
    task.status.worker.clear();
    log("worker {} {}: task {} queued again", worker.hello.name, why, task.status.id);
  }

  // Drops the busy workers that have been silent too long, ten times a timeout.
  void reap(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (!changed_.wait_for(lock, stop, heartbeat_timeout_ / 10, [] { return false; }) && !stop.stop_requested()) {
      for (auto& [id, worker] : workers_) {
        if (worker.task != 0 && Clock::now() - worker.last_heard > heartbeat_timeout_) {
          drop(worker, "missed its heartbeats");
        }
      }
    }
  }

  const std::chrono::milliseconds heartbeat_timeout_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::uint64_t changes_ = 0;
  std::map<std::uint64_t, Task> tasks_;
  std::map<std::uint64_t, Worker> workers_;
  std::jthread reaper_;  // last: it stops and joins before the members it uses go
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the TaskQueue service."};
  std::uint16_t port = 50057;
  int heartbeat_timeout_ms = 2000;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_option("--heartbeat-timeout-ms", heartbeat_timeout_ms, "drop a busy worker silent this long");
  CLI11_PARSE(app, argc, argv);

  TaskQueueService service{std::chrono::milliseconds(heartbeat_timeout_ms)};
  idlrpc::Server server({.listen = {fmt::format("0.0.0.0:{}", port)}});
  server.add_service(service);
  server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "tasks_queue_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Task queue listening on 0.0.0.0:{}\n", server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
