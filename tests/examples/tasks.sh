#!/usr/bin/env bash
# The task queue with a client and three workers, as real processes:
#   tasks.sh QUEUE_SERVER WORKER CLIENT
# 1. Four tasks queued before any worker: they run by priority, and the
#    delayed one (highest priority) not before its delay.
# 2. A worker killed (SIGKILL) mid-task: its task is queued again and the
#    other worker completes it; a watcher sees it through.
# 3. A worker stopped (SIGSTOP) mid-task misses its heartbeats: dropped,
#    its task completed by the other; resumed, its late messages are refused.
# 4. Every task completed exactly once, nothing left over (stats).
source "$(dirname "$0")/lib.sh"
queue=$1 worker=$2 client=$3

start queue "$queue" --port 0 --heartbeat-timeout-ms 1500
target=127.0.0.1:$(port_of queue)
submit() { run "submit_$1" 0 "$client" --target "$target" submit "${@:2}"; }
start_worker() {
  start "$1" "$worker" --target "$target" --name "$1" --types sleep --heartbeat-ms 200
  wait_for queue "^worker $1 joined for sleep$" 10
}
# Which worker the queue gave task $1 (it waits for that), and the other of $2 $3.
taken_by() { wait_for queue "^task $1 -> worker " 10; sed -En "s/^task $1 -> worker ([A-Z]),.*/\1/p" "$work/queue.log" | tail -1; }

# 1. Priorities and a delay.
submit 1 sleep 200 --priority 1
submit 2 sleep 200 --priority 5
submit 3 sleep 200 --priority 3
submit 4 sleep 200 --priority 9 --delay-ms 3000
start_worker A
wait_for queue '^task 4 DONE by worker A' 20
order=$(sed -En 's/^task ([123]) -> worker.*/\1/p' "$work/queue.log" | tr '\n' ' ')
[[ $order == "2 3 1 " ]] || fail "tasks 1-3 ran in the order $order, not by priority (2 3 1)"
delay=$(sed -En 's/^task 4 -> worker A, ([0-9.]+) s after it was submitted$/\1/p' "$work/queue.log")
awk "BEGIN { exit !($delay >= 3.0) }" || fail "task 4 ran $delay s after it was submitted, before its 3 s delay"

# 2. SIGKILL mid-task.
start_worker B
submit 5 sleep 2000
start watch5 "$client" --target "$target" watch 5
victim=$(taken_by 5); survivor=$([[ $victim == A ]] && echo B || echo A)
wait_for "$victim" "running task 5" 10
kill -9 "${pid[$victim]}"
wait_for queue "^worker $victim went away: task 5 queued again$" 10
wait_for queue "^task 5 DONE by worker $survivor: slept 2000 ms$" 15
wait_for watch5 "^task 5: DONE on $survivor: slept 2000 ms \(attempts: 2\)$" 5

# 3. SIGSTOP mid-task: silence, not a closed connection.
start_worker C
submit 6 sleep 2000
victim=$(taken_by 6); other=$([[ $victim == C ]] && echo "$survivor" || echo C)
wait_for "$victim" "running task 6" 10
kill -STOP "${pid[$victim]}"
wait_for queue "^worker $victim missed its heartbeats: task 6 queued again$" 10
wait_for queue "^task 6 DONE by worker $other: slept 2000 ms$" 15
kill -CONT "${pid[$victim]}"
wait_for queue "^worker $victim was dropped: its late message is refused$" 10
wait_for "$victim" "ABORTED: dropped for missing heartbeats" 10

# 4. Nothing lost, nothing completed twice.
for id in 1 2 3 4 5 6; do
  n=$(grep -c "^task $id DONE by " "$work/queue.log" || true)
  [[ $n -eq 1 ]] || fail "task $id completed $n times"
done
run stats 0 "$client" --target "$target" stats
grep -qx 'queued 0, running 0, done 6, failed 0; workers online 1, lost 2' "$work/stats.log" ||
  fail "unexpected statistics: $(cat "$work/stats.log")"
stop queue
cat "$work/queue.log" "$work/watch5.log" "$work/stats.log"
